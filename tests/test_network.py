"""The classic 2-2-2 network against its published step-by-step values and torch autograd."""

import math

import pytest
import torch

from mathcore.network import WEIGHTS, ToyNetwork

# Published in Mazur's "A Step by Step Backpropagation Example", which the article's figures reproduce.
# Each value is given to the digits printed there; the tolerance is half a unit of the last digit.
PUBLISHED_FORWARD = {
    "net_h1": "0.3775", "out_h1": "0.593269992", "out_h2": "0.596884378",
    "net_o1": "1.105905967", "out_o1": "0.75136507", "out_o2": "0.772928465",
    "E_o1": "0.274811083", "E_o2": "0.023560026", "E_total": "0.298371109",
}
PUBLISHED_UPDATED = {
    "w1": "0.149780716", "w2": "0.19956143", "w3": "0.24975114", "w4": "0.29950229",
    "w5": "0.35891648", "w6": "0.408666186", "w7": "0.511301270", "w8": "0.561370121",
}


def half_ulp_of_print(printed: str) -> float:
    return 0.5 * 10.0 ** -len(printed.split(".")[1])


@pytest.fixture(scope="module")
def net():
    return ToyNetwork.classic()


@pytest.mark.parametrize("name", PUBLISHED_FORWARD)
def test_forward_reproduces_published_values(net, name):
    printed = PUBLISHED_FORWARD[name]
    assert net.forward()[name] == pytest.approx(float(printed), abs=half_ulp_of_print(printed))


def test_forward_has_every_article_name(net):
    assert set(net.forward()) == {"net_h1", "out_h1", "net_h2", "out_h2", "net_o1", "out_o1",
                                  "net_o2", "out_o2", "E_o1", "E_o2", "E_total"}


def test_dE_dw5_factor_by_factor(net):
    chain = net.chain("w5")
    assert len(chain.paths) == 1
    (path,) = chain.paths
    assert [f.name for f in path] == ["dE_total/dout_o1", "dout_o1/dnet_o1", "dnet_o1/dw5"]
    for factor, printed in zip(path, ["0.74136507", "0.186815602", "0.593269992"]):
        assert factor.value == pytest.approx(float(printed), abs=half_ulp_of_print(printed))
    assert chain.value == pytest.approx(0.082167041, abs=5e-10)
    assert chain.value == math.prod(f.value for f in path)


def test_dE_dw1_is_the_sum_over_both_output_paths(net):
    chain = net.chain("w1")
    assert len(chain.paths) == 2
    via_o1, via_o2 = chain.paths
    assert [f.name for f in via_o1] == ["dE_o1/dout_o1", "dout_o1/dnet_o1", "dnet_o1/dout_h1",
                                        "dout_h1/dnet_h1", "dnet_h1/dw1"]
    assert via_o2[0].name == "dE_o2/dout_o2" and via_o2[2].anchor == "w7"
    # Mazur's intermediate results: dE_o1/dout_h1, dE_o2/dout_h1, dout_h1/dnet_h1.
    assert math.prod(f.value for f in via_o1[:3]) == pytest.approx(0.055399425, abs=5e-10)
    # Printed as -0.019049119: computed there from rounded intermediates, one unit off in the last digit.
    assert math.prod(f.value for f in via_o2[:3]) == pytest.approx(-0.019049119, abs=1.5e-9)
    assert via_o1[3].value == pytest.approx(0.241300709, abs=5e-10)
    assert chain.value == pytest.approx(0.000438568, abs=5e-10)
    assert chain.value == pytest.approx(sum(chain.path_values), rel=1e-15)


def test_step_reproduces_published_updated_weights(net):
    new = net.step(0.5)
    for name, printed in PUBLISHED_UPDATED.items():
        assert new.weights[name] == pytest.approx(float(printed), abs=half_ulp_of_print(printed))
    assert new.weights["b1"] == 0.35 and new.weights["b2"] == 0.60
    assert net.weights["w5"] == 0.40  # the original network is untouched
    # With every gradient from the old weights the error after one step is exactly this ...
    assert new.forward()["E_total"] == pytest.approx(0.2910277736935993, rel=1e-13)
    # ... while the published 0.291027924 comes from back-propagating through the updated w5..w8.
    published_way = net.step(0.5, order="output-first")
    assert published_way.forward()["E_total"] == pytest.approx(0.291027924, abs=5e-10)
    assert published_way.weights["w5"] == new.weights["w5"]
    assert published_way.weights["w1"] != new.weights["w1"]


def test_ten_thousand_steps_reproduce_the_published_end_state():
    net = ToyNetwork.classic()
    for _ in range(10_000):
        net = net.step(0.5, order="output-first")
    fwd = net.forward()
    assert fwd["out_o1"] == pytest.approx(0.015912196, abs=5e-10)
    assert fwd["out_o2"] == pytest.approx(0.984065734, abs=5e-10)
    # The post prints the error as "0.0000351085", a digit too many: its own outputs give 0.000035085.
    from_published_outputs = 0.5 * (0.01 - 0.015912196) ** 2 + 0.5 * (0.99 - 0.984065734) ** 2
    assert fwd["E_total"] == pytest.approx(from_published_outputs, rel=1e-4)
    assert fwd["E_total"] == pytest.approx(0.000035085, abs=5e-10)


def torch_gradients(net: ToyNetwork):
    w = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in net.weights.items()}
    i1, i2 = (torch.tensor(v, dtype=torch.float64) for v in net.inputs)
    from experiments.nets import torch_module

    act = torch_module(__import__("mathcore").activations.get(net.activation))
    h1 = act(w["w1"] * i1 + w["w2"] * i2 + w["b1"])
    h2 = act(w["w3"] * i1 + w["w4"] * i2 + w["b1"])
    o1 = act(w["w5"] * h1 + w["w6"] * h2 + w["b2"])
    o2 = act(w["w7"] * h1 + w["w8"] * h2 + w["b2"])
    loss = 0.5 * (net.targets[0] - o1) ** 2 + 0.5 * (net.targets[1] - o2) ** 2
    loss.backward()
    return {k: w[k].grad.item() for k in WEIGHTS}, loss.item()


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "softplus", "gelu"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_torch_autograd(activation, seed):
    g = torch.Generator().manual_seed(seed)
    values = torch.empty(12, dtype=torch.float64).uniform_(-1, 1, generator=g).tolist()
    weights = dict(zip(WEIGHTS + ("b1", "b2"), values[:10]))
    net = ToyNetwork(weights, inputs=(values[10], values[11]), targets=(0.2, 0.7), activation=activation)
    ref_grads, ref_loss = torch_gradients(net)
    assert net.forward()["E_total"] == pytest.approx(ref_loss, rel=1e-12, abs=1e-15)
    for k in WEIGHTS:
        assert net.gradients()[k] == pytest.approx(ref_grads[k], rel=1e-10, abs=1e-14)


def test_every_chain_product_is_its_gradient(net):
    for w in WEIGHTS:
        chain = net.chain(w)
        assert chain.value == net.gradients()[w]
        assert all(f.anchor in {"i1", "i2", "h1", "h2", "o1", "o2", *WEIGHTS} for p in chain.paths for f in p)


def test_bad_input():
    with pytest.raises(ValueError, match="unknown weight"):
        ToyNetwork.classic().chain("w9")
    with pytest.raises(ValueError, match="missing"):
        ToyNetwork({"w1": 0.1})
    with pytest.raises(ValueError, match="unknown activation"):
        ToyNetwork(dict(ToyNetwork.classic().weights), activation="nope")
    with pytest.raises(ValueError, match="learning rate"):
        ToyNetwork.classic().step(float("nan"))


def test_every_factor_says_what_it_is_and_where_it_lives():
    """The scenes write each factor from mathcore: its symbol, what it equals, and where to light it."""
    net = ToyNetwork.classic()
    (w5,) = net.chain("w5").paths
    assert [f.rule for f in w5] == ["out_{o1} - t_{1}", "out_{o1}(1 - out_{o1})", "out_{h1}"]
    assert w5[2].latex == r"\frac{\partial net_{o1}}{\partial w_{5}}" and [f.anchor for f in w5] == ["o1", "o1", "w5"]
    fwd = net.forward()
    assert w5[0].value == pytest.approx(fwd["out_o1"] - net.targets[0])
    assert w5[1].value == pytest.approx(fwd["out_o1"] * (1 - fwd["out_o1"]))
    assert w5[2].value == pytest.approx(fwd["out_h1"])
    via_o1, via_o2 = net.chain("w1").paths
    assert [f.rule for f in via_o1[2:]] == ["w_{5}", "out_{h1}(1 - out_{h1})", "i_{1}"]
    assert via_o1[2].value == net.weights["w5"] and via_o2[2].value == net.weights["w7"]
    assert via_o1[4].value == net.inputs[0]
    tanh = ToyNetwork({**net.weights}, net.inputs, net.targets, "tanh")
    assert tanh.chain("w5").paths[0][1].rule == "f'(net_{o1})"


def test_the_gap_between_w5_and_w1_splits_into_input_weights_and_slope(net):
    """The review's split of the 187x: the factors multiply to the ratio, and each is the quotient of two
    quantities torch autograd computes independently (dE/dnet_o1, dE/dout_h1) or the forward pass gives."""
    split = net.gradient_ratio("w5", "w1")
    assert split.ratio == pytest.approx(net.gradients()["w5"] / net.gradients()["w1"], rel=1e-14)
    assert math.prod(p.value for p in split.parts) == pytest.approx(split.ratio, rel=1e-13)
    w = {k: torch.tensor(v, dtype=torch.float64) for k, v in net.weights.items()}
    out_h1 = torch.sigmoid(w["w1"] * 0.05 + w["w2"] * 0.10 + w["b1"]).requires_grad_()
    out_h2 = torch.sigmoid(w["w3"] * 0.05 + w["w4"] * 0.10 + w["b1"])
    net_o1 = (w["w5"] * out_h1 + w["w6"] * out_h2 + w["b2"])
    net_o1.retain_grad()
    o2 = torch.sigmoid(w["w7"] * out_h1 + w["w8"] * out_h2 + w["b2"])
    loss = 0.5 * (0.01 - torch.sigmoid(net_o1)) ** 2 + 0.5 * (0.99 - o2) ** 2
    loss.backward()
    assert split.part("error") == pytest.approx(net_o1.grad.item() / out_h1.grad.item(), rel=1e-12)
    assert split.part("input") == pytest.approx(out_h1.item() / 0.05, rel=1e-14)
    assert split.part("slope") == pytest.approx(1 / (out_h1.item() * (1 - out_h1.item())), rel=1e-12)
    # The review's figures: x11.9 from the input, x3.8 from the weights and paths, only x4.1 from the slope.
    assert [f"{p.value:.2g}" for p in split.parts] == ["12", "3.8", "4.1"]
    with pytest.raises(ValueError, match="output weight with a hidden weight"):
        net.gradient_ratio("w1", "w5")
