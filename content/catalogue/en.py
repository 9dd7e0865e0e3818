"""The English catalogue: scene titles, the words on screen, the words inside display values, and the
narration (see scenes/catalogue/__init__.py). The registry's titles are these.

Narration templates take `{name}` fields from the scene's `display` numbers (scenes/values.py), so no
number is typed into a sentence. Pacing follows from these texts (about 2.5 words a second).
"""

from mathcore import activations

TITLES = {
    "neuron": "A neuron: weighted sum + activation",
    "nonlinearity": "Why activations exist",
    "forward": "Forward pass",
    "backprop": "The chain rule",
    "vanishing": "Vanishing gradients",
    "exploding": "Exploding gradients",
    "activations": "The common activations",
    "dead-relu": "ReLU's dead zone",
    "softmax": "Softmax",
    "choosing": "How to choose",
}

# Every registry activation can be shown (`--only`): its title (the registry's own) and where it is used,
# short enough for the gallery's panel.
TERMS = {
    **{f"title.{name}": activations.get(name).title for name in activations.names()},
    "use.identity": "Regression output layer",
    "use.sigmoid": "Output layer of a binary classifier",
    "use.tanh": "Hidden layers when zero-centred outputs help",
    "use.relu": "The default for hidden layers",
    "use.leaky_relu": "Hidden layers when ReLU units die",
    "use.elu": "Hidden layers, pushing mean outputs towards zero",
    "use.selu": "Self-normalising networks (with LeCun-normal init)",
    "use.gelu": "Transformers (BERT, GPT): a smooth ReLU",
    "use.silu": "Modern convolutional nets and LLM feed-forward layers",
    "use.softplus": "A smooth ReLU",
    "use.softsign": "A tanh-like squashing with polynomial (slower) saturation",
    "use.mish": "Object detection (YOLOv4): a smooth, non-monotonic ReLU",
    "never": "never",
    "either": "{left} or {right}",
}

# One line per scene, for `cli.py list --long`, `explain` and the course pack.
SUMMARIES = {
    "neuron": "Inputs times weights, plus a bias, through an activation: h1 of the classic network.",
    "nonlinearity": "Stacked linear layers collapse into one; a nonlinearity lets the net bend to a curve.",
    "forward": "Every value of the 2-2-2 network, layer by layer, up to the total error.",
    "backprop": "dE/dw5 as a product of three factors, then dE/dw1 as a sum over both output paths.",
    "vanishing": "The sigmoid's slope is at most a quarter, and the gradient that reaches the first layers of a "
                 "deep sigmoid net is a tiny part of the last layer's.",
    "exploding": "Factors above 1 compound with depth until the loss becomes inf/NaN; clipping keeps it finite.",
    "activations": "Sigmoid, tanh, ReLU, Leaky ReLU and friends: formula, curve, derivative, range, use.",
    "dead-relu": "Zero output and zero gradient for x < 0: a unit stuck there gets no gradient to get out.",
    "softmax": "Logits to probabilities that sum to 1; temperature; two classes give a sigmoid.",
    "choosing": "Hidden layers: ReLU first; output: sigmoid, softmax or identity by task.",
}

# The course page's own words (pipeline/pack.py), and this language's name in the language switch.
PAGE = {
    "title": "Activation functions — an animated lecture", "lecture": "The whole lecture",
    "present": "Present it live",
    "chapters": "Chapters", "scenes": "Scenes", "captions": "Captions", "transcript": "Transcript",
    "language": "Language", "language_name": "English",
}

# The live presenter (`cli.py slides`): its buttons, the speaker view and the key list.
PRESENTER = {
    "prev": "Back one beat", "next": "Next beat", "chapters": "Chapters", "mute": "Voice on", "muted": "Voice off",
    "speaker": "Speaker view", "fullscreen": "Full screen", "keys": "Keys", "now": "Now", "coming": "Next",
    "elapsed": "elapsed", "end": "The end of the lecture.", "scene": "Scene {number} of {count}",
    "key_next": "play the next beat (while one plays: skip to its end)", "key_prev": "back one beat",
    "key_scene": "jump to a scene (0 = the tenth)", "key_home_end": "the first beat / the end",
    "key_mute": "voice off or on (talk over it)", "key_captions": "the sentence as a caption",
    "key_fullscreen": "full screen", "key_speaker": "speaker view: now, next, notes, clock",
    "key_chapters": "the chapter list", "key_help": "this list",
}

# The words of `cli.py explain` around the numbers and the narration.
CLI = {"parameters": "parameters", "numbers": "numbers", "narration": "narration"}

WORDS = {
    "common": {
        "layers_crossed": "layers crossed, from the top down",
        "layer_axis": "layer (1 = first)",
        "each_layer": "each layer:\n× {factor}",
        "training_step": "training step",
    },
    "neuron": {
        "question": "What does a single neuron compute?",
        "no_activation": "no\nactivation",
        "with_activation": "weighted sum + activation",
        "answer": "weighted sum + bias, then an activation",
    },
    "nonlinearity": {
        "question": "Why does a network need\nactivation functions at all?",
        "legend_input": "input x",
        "legend_weights": "weights W",
        "legend_biases": "biases b",
        "check": "check at x = {x}",
        "two_layers": "two layers:",
        "one_layer": "one layer:",
        "collapsed": "one matrix, one bias: a linear function of x",
        "no_activation": "(no activation)",
        "points": "training points",
        "fit": "the net's fit",
        "step": "step {step}",
        "answer_linear": "Stacked linear layers are one linear map.",
        "answer_curves": "Fitting curves needs a nonlinearity.",
        "one_unit": "one ReLU unit:",
        "units_added": "units: {k}",
        "best_line": "best line: {mse}",
        "the_curve": "the curve",
        "one_feature": "price against one feature: a line",
        "many_features": "many features together: a curve",
        "rooms": "rooms",
        "features": "all the features",
        "price": "price",
    },
    "forward": {
        "question": "How does the network turn\nits inputs into an error?",
        "answer": "Backpropagation walks this path in reverse.",
    },
    "backprop": {
        "question": "How much does each weight\nadd to the error?",
        "slopes": "sigmoid slopes: each at most {bound}",
        "widths": "arrow width: the gradient's size",
        "answer_product": "A weight's gradient: along each path to E, multiply;",
        "answer_sum": "over several paths, add the products.",
        "answer_step": "Gradient descent moves the weight against it.",
    },
    "vanishing": {
        "question": "Why do the first layers of a deep network\nwith {deep_title} activations barely learn?",
        "saturated": "saturated",
        "slope_legend": "blue: a sigmoid slope",
        "smaller": "{ratio}× smaller",
        "split_input": "input",
        "split_error": "weights,\ntwo paths",
        "split_slope": "slope at h1",
        "gradient_left": "gradient left",
        "left_after": "left after",
        "chain_widths": "width:\nthe gradient",
        "after_one": "{k} layer:",
        "after_many": "{k} layers:",
        "bound": "slopes only:",
        "norm_axis": "weight-gradient norm at step 0",
        "ratio_title": "first layer\n÷ last layer:",
        "moved_title": "first layer's\nrelative change\nafter {steps} steps:",
        "regions_title": "{name}: right on {accuracy}",
        "arm_white": "one arm",
        "arm_black": "the other arm",
        "regions_ground": "ground: the net's answer",
        "answer_bound": "A sigmoid's slope is at most {peak}",
        "answer_weights": "With the usual weights, each sigmoid layer: {factor}",
        "answer_left": "After {depth} layers: {left} of the gradient is left.",
        "answer_first": "The first layers learn slowest, or not at all.",
    },
    "exploding": {
        "question": "What if every layer multiplies\nthe gradient by more than 1?",
        "gradient_size": "gradient size",
        "after": "after {k}:",
        "arriving_axis": "gradient arriving at the layer, step 0",
        "he": "{he}/n (He)",
        "first_last": "first ÷ last:",
        "loss": "loss",
        "clipped": "{oversized}/n, clipped\nto norm {clip}",
        "first_crossing": "first: × {factor}",
        "then_each": "then each:\n× {factor}",
        "nan_at": "step {step}: NaN",
        "answer_rule": "factor {factor} per layer, {depth} layers:  {growth}",
        "answer_tame": "Tame it: a variance-preserving init,\nand gradient clipping.",
        "dial_each": "each layer:",
        "dial_vanishing": "vanishing",
        "dial_flat": "flat (He)",
        "dial_exploding": "exploding",
    },
    "activations": {
        "question": "What do the common activations look like,\nand where does their gradient fade?",
        "region_dead": "dead: slope zero",
        "region_saturated": "saturated",
        "region_small": "small slope",
        "legend_function": "the activation",
        "legend_slope": "its slope, the derivative",
        "legend_shade": "where the slope is near zero",
        "range": "range",
        "use": "Use: {use}",
        "column_activation": "activation",
        "column_range": "range",
        "column_slope": "max slope",
        "closing": "Where the slope fades or dies, gradients stop.",
        "relation_steps": "stretched, then shifted",
        "relation_gap": "apart by at most {gap}",
        "smooth_far": "from x = {start} on:",
        "smooth_within": "within {gap} of ReLU",
        "smooth_lowest": "{name}: lowest {value}",
        "smooth_floor": "ELU: towards {value}",
    },
    "dead-relu": {
        "question": "What happens to a ReLU unit whose\ninput is negative on every example?",
        "zone": "output 0, slope 0",
        "every_input": "{z} on every input",
        "verdict": "no update: dead, unless\nthe layers below it change",
        "came_back": "units back,\nby layer",
        "share_axis": "share of units below zero on every input",
        "step": "step {step}:",
        "dead": "{share} dead",
        "harmless": "a few dead units: little harm (measured later)",
        "net_axis": "{net} of the first layer, every point",
        "net_share_axis": "share",
        "below_title": "{net}:",
        "below_start": "start: {share}",
        "below_relu": "ReLU, step {steps}: {share}",
        "below_leaky": "Leaky ReLU: {share},\nits slope there {slope}",
        "removed_axis": "units removed from every layer, the weakest first",
        "kept_axis": "accuracy",
        "chance": "chance",
        "silent": "ReLU units that\nadd nothing,\nby layer:\n{shares}",
        "leaky_column": "Leaky",
        "no_gradient": "no gradient",
        "accuracy": "accuracy",
        "units_axis": "units per layer",
        "born_axis": "born dead, {depth} layers deep",
        "born_note": "{trials} random nets\nper width, He init",
        "answer": "For {where}, ReLU passes no gradient:",
        "answer_stuck": "a stuck unit learns only if the layers below change.",
        "answer_leaky": "Leaky ReLU: {slope} for {where}",
    },
    "softmax": {
        "question": "A network must pick one of several classes.\nHow does it turn raw scores into probabilities?",
        "logits": "logits z: raw scores",
        "exponentials": "exponentials: all positive",
        "probabilities": "probabilities p",
        "temperature": "temperature T",
        "columns_sum": "columns and rows sum to zero",
        "softmax": "softmax",
        "regression": "multinomial logistic regression",
        "answer_rule": "Softmax: exponentiate, then divide by the sum.",
        "answer_each": "One probability per class.",
    },
    "choosing": {
        "question": "Which activation should you use?",
        "hidden": "Hidden layers",
        "output": "Output layer",
        "relu_first": "ReLU first",
        "fallback": "Leaky ReLU\nELU · GELU",
        "works_badly": "works badly?",
        "avoid": "avoid sigmoid:",
        "tanh": "tanh: acceptable,\nthough it saturates",
        "two_classes": "two classes",
        "several_classes": "several classes",
        "regression": "regression",
        "sigmoid": "sigmoid",
        "softmax": "softmax",
        "identity": "identity",
        "answer_hidden": "Hidden layers: ReLU first.",
        "answer_output": "Output layer: sigmoid, softmax or nothing, by task.",
        "axis_input": "input",
        "axis_output": "output",
        "target": "target {target}",
        "short": "more than {gap} short",
        "reaches": "reaches it",
    },
}

VANISHING = {
    "question": "Why do the first layers of a deep network with {deep_title} activations barely learn? "
                "Watch the gradient as it passes each layer.",
    "slope": "The sigmoid squashes every input into (0, 1). Its slope, sigma times one minus sigma, "
             "peaks at x = 0, where it is only {peak}.",
    "saturate": "Beyond |x| = {saturation_x} the curve is flat: the slope is under a tenth of its peak. "
                "The sigmoid saturates there.",
    "w5": "In the classic network, the gradient of the output weight w5 is a product of three factors. "
          "One of them is a sigmoid slope: {slope_o1}.",
    "w1": "w1 sits one layer deeper: two paths, each crossing two sigmoid slopes. Its gradient, {grad_w1}, "
          "is {ratio} times smaller than w5's.",
    "split": "Where does the {ratio} come from? Only {split_slope} times is the extra slope, at h1. "
             "{split_input} times is the input: w1 multiplies i1, {i1}, where w5 multiplies out h1, {out_h1}. "
             "And {split_error} times is the weights: back through w5 and w7 the two paths partly cancel, "
             "leaving {dE_dout_h1} at h1 against {dE_dnet_o1} at o1.",
    "deep": "Now stack {depth} layers with {deep_title} activations. Going down, each layer passes on "
            "only about {typical_factor} of the gradient it receives.",
    "product": "The factors multiply. After {depth} layers, {reach_last} of the gradient is left: "
               "the first layer's weights barely move.",
    "measured": "Now real training: a {trained_depth}-layer net on a spiral, once with sigmoid, once with ReLU. "
                "At the first step, the sigmoid net's first layer gets {sigmoid_ratio} of its last layer's "
                "gradient; the ReLU net's gets {relu_ratio}.",
    "moved": "After {trained_steps} steps the sigmoid net's first layer has moved by {sigmoid_change} of its size; "
             "the ReLU net's moved {relu_change}.",
    "regions": "What that costs, on the spiral itself: each point is coloured by its arm, the ground by the net's "
               "answer there. The sigmoid net gives {sigmoid_plane} of the plane to one arm: it is right on "
               "{sigmoid_accuracy} of the points, chance. The ReLU net traces both arms: right on {relu_accuracy}.",
    "answer": "The answer: the sigmoid's slope is at most {peak}. With the usual weights nothing makes up for it: "
              "each layer passes on about {sigmoid_factor}, so the first layers of a deep sigmoid net learn slowest, "
              "or not at all.",
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
    "answer": "The answer: a weight adds to the error through every path from it to E. Along each path, "
              "multiply the factors; over the paths, add the products. That is its gradient, and gradient "
              "descent steps against it.",
}


EXPLODING = {
    "question": "What if every layer multiplies the gradient by more than one?",
    "factor": "Take a {depth}-layer ReLU net and draw its weights with variance {oversized} over n, "
              "where He's rule says {he} over n. Going down, the first crossing is the ReLU alone, which keeps "
              "{first_factor} of the gradient; each layer after it multiplies the gradient by about {later_factor}.",
    "product": "The factors compound. After {depth} layers the gradient is {reach_last} times larger.",
    "measured": "A trained net, {trained_width} units wide with the same depth and init, shows the same: at step 0 "
                "the gradient arriving at the first of its {weight_layers} weight layers is {trained_ratio} times "
                "the one at its last. With He's init the ratio is {he_ratio}.",
    "blowup": "Gradient descent takes a step that size. The loss is already {first_loss} before the first step, "
              "and at step {nan_step} it is not a number any more: training is over.",
    "tame": "Clip the gradient's norm to {clip}, and every step stays small: the loss stays finite, "
            "at {clip_final} after {steps} steps. He's init keeps each factor near one, and the net learns: "
            "from {he_first} down to {he_final}.",
    "dial": "Vanishing and exploding are one dial: the scale of the weights. In a ReLU net, multiply every "
            "weight by the same number and each layer's factor is multiplied by exactly that number, since "
            "the same units stay live. At variance {dial_low} over n each layer multiplies the gradient by "
            "{dial_low_factor}, and after {depth} layers {dial_low_reach} of it is left.",
    "dial_flat": "Turn it up to He's {he} over n: each factor is {dial_he_factor}, and the gradient arrives "
                 "with {dial_he_reach} of its size.",
    "dial_up": "Turn it on to {oversized} over n: {later_factor} per layer, and {reach_last} times larger. "
               "The same net, the same live units: only the scale of the weights moved.",
    "answer": "Factors above one compound just like factors below one, only upward. Tame them with a "
              "variance-preserving init, and clip the gradient.",
}


CHOOSING = {
    "question": "Which activation should you use? It depends on the layer.",
    "hidden": "For hidden layers, start with ReLU. Its slope is {relu_slope} for every positive input, "
              "so gradients pass through deep stacks.",
    "fallback": "If it works badly, with many dead units for instance, try Leaky ReLU, or its smooth "
                "cousins ELU and GELU.",
    "avoid": "Avoid sigmoid in hidden layers: its slope is at most {sigmoid_bound}, and deep stacks of it "
             "vanish. Tanh is acceptable: centred on zero, though it still saturates.",
    "output": "The output layer follows the task. Two classes: sigmoid, one probability between zero and one.",
    "multiclass": "Several classes: softmax, one probability per class, summing to one.",
    "regression": "Regression: no activation at all, the identity, so the output can be any real number.",
    "reach": "Why none? Take a target of {target}. A sigmoid output stays between zero and one: far to the left "
             "it only comes near {sigmoid_floor}, still more than {gap} short. The identity gives {target} "
             "exactly, at an input of {target}.",
    "answer": "Hidden layers: ReLU first. Output layer: sigmoid, softmax or nothing, by task.",
}


NONLINEARITY = {
    "question": "Why does a network need activation functions at all? What goes wrong if you leave them out?",
    "layers": "Take two linear layers with nothing between them. The first computes W1 x plus b1; "
              "the second multiplies that by W2 and adds b2.",
    "collapse": "Multiply it out. W2 times W1 makes one matrix, {W_text}, and W2 b1 plus b2 makes one bias, "
                "{b_text}: a single linear layer.",
    "check": "Check it on the input {x_text}. The first layer gives {hidden_text}, the second {y_two}. "
             "The single layer gives {y_one} as well.",
    "stack": "Add a third layer, or a hundredth: the products still collapse into one matrix and one bias. "
             "Without activations, depth adds nothing: the output stays a linear function of the input.",
    "house": "The article's example: the price of a flat against its rooms, its floor or its daylight, one at "
             "a time, can be a line. With many features acting together, the real relation usually bends, and stacked "
             "linear layers can only ever draw the line.",
    "fit": "Now a real fit. A net with {layers} hidden layers of {width} units learns a wiggly curve, "
           "the red points, three times: with the identity, which is no activation at all, with tanh, "
           "and with ReLU.",
    "train": "Watch the fits over {steps} training steps. Tanh and ReLU bend to follow the points. "
             "Without an activation, the fit stays a straight line.",
    "mse": "The final mean squared errors: {mse_identity} without an activation, the same as the best "
           "straight line. With tanh, {mse_tanh}; with ReLU, {mse_relu}: {ratio} times smaller.",
    "hinges": "How does ReLU bend? Each ReLU unit is a hinge: zero, then a straight ramp from its knot. Start "
              "with one ramp, and at each bend of the curve add a unit that changes the slope. {units} units "
              "already follow the curve: a mean squared error from it of {hinge_mse}, against {curve_line_mse} "
              "for the best straight line through the same curve.",
    "answer": "Stacked linear layers are one linear map. To fit curves, a network needs a nonlinearity: "
              "that is why activation functions exist.",
}


DEAD_RELU = {
    "question": "What happens to a ReLU unit whose input is negative on every example? Can it still learn?",
    "zero": "For x below zero, ReLU outputs zero, and its slope there is zero too. "
            "Nothing passes forward, and no gradient passes back.",
    "dead": "Now take a unit whose pre-activation is negative on every input. It outputs zero everywhere, "
            "and every gradient through it is multiplied by zero.",
    "stuck": "So its weights get no update. In the first layer, whose inputs are the fixed data, it stays dead "
             "for good; in a deeper layer it can come back, but only when the layers below it change.",
    "hot": "Now real training: {layers} hidden ReLU layers of {width} units on two interleaved spirals, "
           "with a learning rate of {lr}: far too large.",
    "harmless": "At the start, {start_dead} of the units are already dead. That alone does little harm: "
                "a trained net can predict from part of its units, as we will measure at the end of this run.",
    "rising": "But the oversized steps push more and more units below zero. After {steps} steps, "
              "{relu_dead} are dead and {relu_no_grad} get no gradient at all. "
              "The net is right on {relu_accuracy} of the points. Some dead units came back: by layer, "
              "{relu_back_1}, {relu_back_2} and {relu_back_3}, none in the first.",
    "leaky": "Leaky ReLU units slide below zero too, {leaky_negative} of them. But their slope there is "
             "{leaky_slope}, not zero: every unit still gets a gradient, {leaky_back_1}, {leaky_back_2} and "
             "{leaky_back_3} come back by layer, and the net is right on {leaky_accuracy}.",
    "below": "Where did they go? Here are the first layer's nets over every point: at the start {below_before} "
             "are at or below zero. After {steps} steps, {relu_below_after} of the ReLU net's are, some as low as "
             "{lowest_net}, where its slope is zero. The Leaky ReLU net's too, {leaky_below_after}, but there its "
             "slope is {leaky_slope}.",
    "redundant": "Are dead units a loss in themselves? Remove units from the two trained nets, the weakest first. "
                 "With {removed} of every layer gone, the Leaky ReLU net is still right on {leaky_kept}, "
                 "against {leaky_accuracy} with all of them: many signals are redundant. The ReLU net stays at "
                 "{relu_kept} even with {most_removed} removed: its dead units carried nothing.",
    "born": "Depth makes it worse. Of random ReLU nets {born_depth} layers deep, {p_narrow} are born dead "
            "at width {born_narrow}, {p_three} at width {born_three}, and {p_wide} at width {born_wide}: "
            "constant functions before training even starts.",
    "answer": "ReLU's zero region drops the gradient: a unit stuck there gets no update, and only a change in "
              "the layers below can bring it back. "
              "A little sparsity is harmless; a small negative slope, as in Leaky ReLU, keeps units alive.",
}


# The gallery repeats its "each" beats for every activation shown (content.narration.expand_beats):
# {item[...]} fields are that activation's, and a beat whose field is None (no dead zone, say) is left out for it.
ACTIVATIONS = {
    "question": "What do the common activation functions look like, and where does their gradient fade?",
    "legend": "Solid: the function. Dashed, below it: its slope. Grey: where the slope is near zero.",
    "each": {
        "curve": "{item[title]}: its slope is at most {item[peak]}.",
        "dead": "For {item[dead_where]}, the slope is exactly zero: no gradient passes.",
        "saturated": "For {item[saturated_where]}, the slope is under {share} of its peak: it saturates.",
        "small": "For {item[small_where]}, the slope is small, {item[small_slope]}, but never zero.",
        "use": "Where is it used? {item[use]}.",
    },
    "relation": "Tanh is the sigmoid stretched and shifted: tanh(x) = 2σ(2x) − 1, equal up to rounding "
                "(at most {relation_error} apart here). So its slope, 4σ′(2x), peaks at {tanh_peak}: "
                "four times the sigmoid's {sigmoid_peak}.",
    "smooth": "Overlaid, ELU, GELU and SiLU are ReLU with its corner rounded off. For x ≥ {smooth_from} each "
              "stays within {far_gap} of ReLU; for negative x they go below zero: GELU down to {gelu_min}, "
              "SiLU to {silu_min}, and ELU towards {elu_floor}.",
    "answer": "The answer: where the slope fades or dies, gradients stop. Hidden layers favour the ReLU family: "
              "slope {relu_slope} for every positive input.",
}


SOFTMAX = {
    "question": "A network must pick one of several classes. How does it turn raw scores into probabilities?",
    "logits": "The output layer gives one raw score per class, a logit: here {z1}, {z2} and {z3}. "
              "Logits can be any real numbers.",
    "exp": "Softmax first exponentiates each one: {e1}, {e2} and {e3}. Every value is now positive, and "
           "differences have become ratios: z1 is {logit_gap} above z2, so its exponential is {exp_ratio} times as large.",
    "normalise": "Then it divides by their sum, {exp_sum}. The results, {p1}, {p2} and {p3}, "
                 "are probabilities: they sum to {p_sum}.",
    "sharpen": "Now divide the logits by a temperature T first. Turn T down to {t_low}, and the distribution "
               "sharpens: the top class gets {top_low}.",
    "flatten": "Turn it up to {t_high}, and it flattens: the top class gets only {top_high}. "
               "At T = {t_base}, it is plain softmax again.",
    "two": "With two classes, softmax is a sigmoid of the logit difference. For logits {a} and {b}, "
           "softmax gives {two_p}, and the sigmoid of {diff} gives {two_sigmoid}.",
    "jacobian": "Its Jacobian is diag of p minus p times p transposed. Each column sums to zero: "
                "raising one logit only moves probability between the classes. Each row does too: "
                "adding one number to every logit changes nothing.",
    "use": "So softmax sits at the output layer for several classes. With one linear layer before it, "
           "that is multinomial logistic regression.",
    "answer": "The answer: softmax exponentiates the scores and divides by their sum, "
              "giving one probability per class, all summing to {p_sum}.",
}


NARRATION = {
    "activations": ACTIVATIONS,
    "softmax": SOFTMAX,
    "nonlinearity": NONLINEARITY,
    "dead-relu": DEAD_RELU,
    "choosing": CHOOSING,
    "exploding": EXPLODING,
    "backprop": BACKPROP,
    "neuron": NEURON,
    "forward": FORWARD,
    "vanishing": VANISHING,
}
