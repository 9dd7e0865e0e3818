"""What the subtitles say, beat by beat, one mapping per scene id: the only place narration lives.

Templates take `{name}` fields from the scene's `display` numbers (scenes/numbers.py), so no number
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
    "answer": "The answer: each sigmoid layer multiplies the gradient by at most 0.25, "
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


NARRATION: dict[str, dict[str, str]] = {
    "neuron": NEURON,
    "vanishing": VANISHING,
}
