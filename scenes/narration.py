"""What the subtitles say, beat by beat, one mapping per scene id: the only place narration lives.

Templates take `{name}` fields from the scene's `display` numbers (scenes/values.py), so no number
is typed into a sentence. Pacing follows from these texts (about 2.5 words a second).
"""

VANISHING = {
    "question": "Why do the first layers of a deep network with {deep_title} activations barely learn? "
                "Watch the gradient as it passes each layer.",
    "slope": "The sigmoid squashes every input into (0, 1). Its slope, sigma times one minus sigma, "
             "peaks at x = 0, where it is only {peak}.",
    "saturate": "Beyond |x| = {saturation_x} the curve is flat: the slope is under a tenth of its peak. "
                "The sigmoid saturates there.",
    "w5": "In the classic network, the gradient of the output weight w5 is a product of three factors. "
          "One of them is a sigmoid slope: {slope_o1}.",
    "w1": "w1 sits one layer deeper. Every path back to it crosses two sigmoid slopes, "
          "so its gradient, {grad_w1}, is {ratio} times smaller than w5's.",
    "deep": "Now stack {depth} layers with {deep_title} activations. Going down, each layer passes on "
            "only about {typical_factor} of the gradient it receives.",
    "product": "The factors multiply. After {depth} layers, {reach_last} of the gradient is left: "
               "the first layer's weights barely move.",
    "measured": "Now real training: a {trained_depth}-layer net on a spiral, once with sigmoid, once with ReLU. "
                "At the first step, the sigmoid net's first layer gets {sigmoid_ratio} of its last layer's "
                "gradient; the ReLU net's gets {relu_ratio}.",
    "moved": "After {trained_steps} steps the sigmoid net's first layer has moved by {sigmoid_change} of its size, "
             "and it is right on {sigmoid_accuracy} of the points: chance. The ReLU net's moved "
             "{relu_change}, and it is right on {relu_accuracy}.",
    "answer": "The answer: each sigmoid layer multiplies the gradient by at most {peak}, "
              "so the first layers of a deep sigmoid network learn slowest, or not at all.",
}


NEURON = {
    "question": "What does a single neuron compute? Take one from the classic network and watch.",
    "layers": "Every neuron of the hidden and output layers has an activation function. "
              "The input layer has none: it only passes the inputs on.",
    "weights": "Hidden neuron h1 receives two inputs, {i1} and {i2}. Each comes with a weight that says "
               "how much it matters: {w1} and {w2}. The bias adds {b1}.",
    "products": "Each input is multiplied by its weight: {w1} times {i1} is {w1_i1}, "
                "and {w2} times {i2} is {w2_i2}.",
    "sum": "The neuron adds the products and the bias. This weighted sum, net h1, is {net_h1}.",
    "activation": "Then the activation bends it. The sigmoid of {net_h1} is {out_h1}: "
                  "that is the neuron's output, out h1.",
    "answer": "So a neuron is a weighted sum plus a bias, passed through an activation function.",
}


FORWARD = {
    "question": "How does the network turn its inputs into an error? Follow the values forward, "
                "layer by layer.",
    "inputs": "The inputs are {i1} and {i2}. The input layer has no activation: it passes them on.",
    "hidden": "Each hidden neuron forms its weighted sum and applies the sigmoid: net h1 is {net_h1}, "
              "so out h1 is {out_h1}. Likewise out h2 is {out_h2}.",
    "output": "The output neurons do the same with the hidden outputs: out o1 is {out_o1}, "
              "and out o2 is {out_o2}.",
    "errors": "Compare them with the targets, {t1} and {t2}. Half the squared difference gives "
              "E o1 = {E_o1} and E o2 = {E_o2}.",
    "total": "Their sum is the total error, E total = {E_total}. Training will push this number down.",
    "answer": "That is the forward pass: weighted sums and activations, layer by layer, up to one error. "
              "Backpropagation walks the same path in reverse.",
}


BACKPROP = {
    "question": "How much does each weight add to the error? The chain rule answers, one factor at a time.",
    "w5": "Start with w5, from h1 to o1. It reaches the error only through net o1, then out o1.",
    "f1": "First factor: how the error changes with out o1. That is out o1 minus its target: {w5_f1}.",
    "f2": "Second: how out o1 changes with net o1. That is the sigmoid's slope, out times one minus out: "
          "{w5_f2}.",
    "f3": "Third: how net o1 changes with w5. That is the input w5 carries, out h1: {w5_f3}.",
    "product": "Multiply the three: the gradient of the error with respect to w5 is {grad_w5}.",
    "update": "Gradient descent steps against it. With learning rate {lr}, w5 moves from {w5} to {w5_new}.",
    "w1": "Now w1, one layer deeper. Its effect reaches the error along two paths: through o1 and through o2.",
    "paths": "Along each path, multiply the factors. Through o1: {via_o1}. Through o2: {via_o2}. "
             "Together, {dE_dout_h1}.",
    "sum": "Two more factors finish the chain: h1's own sigmoid slope, {slope_h1}, and the input {i1}. "
           "The gradient of w1 is {grad_w1}.",
    "bridge": "Notice the sigmoid slopes, out times one minus out, on every path. Each is at most {slope_bound}. "
              "The deeper the weight, the more of them it multiplies.",
}


EXPLODING = {
    "question": "What if every layer multiplies the gradient by more than one?",
    "factor": "Take a {depth}-layer ReLU net and draw its weights with variance {oversized} over n, "
              "where He's rule says {he} over n. Going down, each layer now multiplies the gradient "
              "by about {typical_factor}.",
    "product": "The factors compound. After {depth} layers the gradient is {reach_last} times larger.",
    "measured": "The trained net shows the same: the gradient arriving at its first layer is {trained_ratio} "
                "times the one at its last. With He's init the ratio is {he_ratio}.",
    "blowup": "Gradient descent takes a step that size. The loss starts at {first_loss}, "
              "and at step {nan_step} it is not a number any more: training is over.",
    "tame": "Clip the gradient's norm to {clip}, and every step stays small: the loss stays finite, "
            "at {clip_final} after {steps} steps. He's init keeps each factor near one, and the net learns: "
            "from {he_first} down to {he_final}.",
    "answer": "Factors above one compound just like factors below one, only upward. Tame them with a "
              "variance-preserving init, and clip the gradient.",
}


NARRATION: dict[str, dict[str, str]] = {
    "exploding": EXPLODING,
    "backprop": BACKPROP,
    "neuron": NEURON,
    "forward": FORWARD,
    "vanishing": VANISHING,
}
