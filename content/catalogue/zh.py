"""The Chinese catalogue (简体中文): the same keys as en.py (see scenes/catalogue/__init__.py).

Terms follow the source article where it has them: 激活函数, 加权求和, 隐层/隐藏层, 输出层, 输入层, 权值,
反向传播, 前向传播, 链式法则, 梯度消失, 梯度爆炸, 导数 (the article's word for a slope), 饱和, 二分类/多分类,
逻辑回归. Activation names (sigmoid, tanh, ReLU, Leaky ReLU, softmax ...) stay in Latin letters, as the
article writes them. A space separates Chinese from Latin words and numbers.
"""

TITLES = {
    "neuron": "神经元：加权求和 + 激活函数",
    "nonlinearity": "激活函数的作用",
    "forward": "前向传播",
    "backprop": "链式法则",
    "vanishing": "梯度消失",
    "exploding": "梯度爆炸",
    "activations": "常见的激活函数",
    "dead-relu": "ReLU 的死区",
    "softmax": "Softmax 函数",
    "choosing": "如何选择激活函数",
}

TERMS = {
    "title.identity": "恒等函数",
    "title.sigmoid": "Sigmoid",
    "title.tanh": "Tanh",
    "title.relu": "ReLU",
    "title.leaky_relu": "Leaky ReLU",
    "title.elu": "ELU",
    "title.selu": "SELU",
    "title.gelu": "GELU",
    "title.silu": "SiLU (Swish)",
    "title.softplus": "Softplus",
    "title.softsign": "Softsign",
    "title.mish": "Mish",
    "use.identity": "回归任务的输出层",
    "use.sigmoid": "二分类的输出层",
    "use.tanh": "需要以零为中心的输出时，用于隐藏层",
    "use.relu": "隐藏层的默认选择",
    "use.leaky_relu": "ReLU 单元死掉时，用于隐藏层",
    "use.elu": "隐藏层，让输出的均值接近零",
    "use.selu": "自归一化网络，配合 LeCun 正态初始化",
    "use.gelu": "BERT、GPT 等 Transformer：平滑版的 ReLU",
    "use.silu": "现代卷积网络，以及大语言模型的前馈层",
    "use.softplus": "平滑版的 ReLU",
    "use.softsign": "类似 tanh 的压缩函数，饱和得更慢（多项式速度）",
    "use.mish": "YOLOv4 等目标检测：平滑、非单调的 ReLU",
    "never": "从未",
    "either": "{left} 或 {right}",
}

# 每节一句话，用于 `cli.py explain` 和课程包。
SUMMARIES = {
    "neuron": "输入乘以权值，加上偏置，再经过激活函数：经典网络中的 h1。",
    "nonlinearity": "堆叠的线性层会合并成一层；有了非线性，网络才能拟合曲线。",
    "forward": "2-2-2 网络的每一个值，逐层计算，直到总误差。",
    "backprop": "dE/dw5 是三个因子的乘积；dE/dw1 是经过两个输出的两条路径之和。",
    "vanishing": "Sigmoid 的导数至多是四分之一；深层 Sigmoid 网络中，传到前几层的梯度只是最后一层的极小一部分。",
    "exploding": "大于 1 的因子随深度不断累乘，直到损失变成 inf/NaN；梯度裁剪让它保持有限。",
    "activations": "Sigmoid、tanh、ReLU、Leaky ReLU 等：公式、曲线、导数、值域和用途。",
    "dead-relu": "x < 0 时输出和梯度都为零：停在那里的单元得不到梯度，也就出不来。",
    "softmax": "把 logit 变成和为 1 的概率；温度；两个类别时就是 Sigmoid。",
    "choosing": "隐层：首选 ReLU；输出层：按任务选 Sigmoid、Softmax 或恒等函数。",
}

# 课程页面自己的文字（pipeline/pack.py），以及语言切换中这种语言的名称。
PAGE = {
    "present": "课堂演示", "title": "激活函数 动画讲义", "lecture": "完整讲座", "chapters": "章节", "scenes": "分节",
    "captions": "字幕", "transcript": "讲稿", "language": "语言", "language_name": "中文",
}

# 课堂演示（`cli.py slides`）：按钮、演讲者视图和按键说明。
PRESENTER = {
    "prev": "后退一步", "next": "下一步", "chapters": "章节", "mute": "声音：开", "muted": "声音：关",
    "speaker": "演讲者视图", "fullscreen": "全屏", "keys": "按键", "now": "当前", "coming": "下一步",
    "elapsed": "已用时", "end": "讲座到此结束。", "scene": "第 {number} 节，共 {count} 节",
    "key_next": "播放下一步（播放中按下：跳到这一步的结尾）", "key_prev": "后退一步",
    "key_scene": "跳到某一节（0 为第十节）", "key_home_end": "第一步 / 结尾",
    "key_mute": "关闭或打开声音（由老师讲解）", "key_captions": "以字幕显示这一步的讲稿",
    "key_fullscreen": "全屏", "key_speaker": "演讲者视图：当前、下一步、讲稿、时钟",
    "key_chapters": "章节列表", "key_help": "本说明",
}

# `cli.py explain` 在数值和讲稿周围的文字。
CLI = {"parameters": "参数", "numbers": "数值", "narration": "讲稿"}

WORDS = {
    "common": {
        "layers_crossed": "自上而下经过的层数",
        "layer_axis": "层（1 = 第一层）",
        "each_layer": "每一层：\n× {factor}",
        "training_step": "训练步数",
    },
    "neuron": {
        "question": "单个神经元在计算什么？",
        "no_activation": "没有\n激活函数",
        "with_activation": "加权求和 + 激活函数",
        "answer": "加权求和加上偏置，再经过激活函数",
    },
    "nonlinearity": {
        "question": "网络为什么\n需要激活函数？",
        "legend_input": "输入 x",
        "legend_weights": "权值 W",
        "legend_biases": "偏置 b",
        "check": "在 x = {x} 处验证",
        "two_layers": "两个线性层：",
        "one_layer": "一个线性层：",
        "collapsed": "一个矩阵、一个偏置：x 的线性函数",
        "no_activation": "（无激活函数）",
        "points": "训练数据点",
        "fit": "网络的拟合",
        "step": "第 {step} 步",
        "answer_linear": "堆叠的线性层只是一个线性映射。",
        "answer_curves": "要拟合曲线，就需要非线性。",
        "one_unit": "一个 ReLU 单元：",
        "units_added": "单元数：{k}",
        "best_line": "最好的直线：{mse}",
        "the_curve": "目标曲线",
        "one_feature": "房价与单个特征：直线",
        "many_features": "许多特征一起：曲线",
        "rooms": "房间数",
        "features": "所有特征",
        "price": "房价",
    },
    "forward": {
        "question": "网络如何把输入\n变成误差？",
        "answer": "反向传播沿这条路径反向走回去。",
    },
    "backprop": {
        "question": "每个权值对误差\n贡献了多少？",
        "slopes": "sigmoid 的导数：每个至多 {bound}",
        "widths": "箭头粗细：梯度的大小",
        "answer_product": "一个权值的梯度：沿它到 E 的路径，把各因子相乘；",
        "answer_sum": "有几条路径，就把各条路径的乘积相加。",
        "answer_step": "梯度下降沿梯度的反方向更新这个权值。",
    },
    "vanishing": {
        "question": "为什么使用 {deep_title} 激活函数的深层网络，\n前几层几乎学不动？",
        "saturated": "饱和区",
        "slope_legend": "蓝色：sigmoid 的导数",
        "smaller": "小了 {ratio} 倍",
        "split_input": "输入",
        "split_error": "权值，\n两条路径",
        "split_slope": "h1 处的导数",
        "gradient_left": "剩下的梯度",
        "left_after": "剩下的梯度",
        "chain_widths": "粗细：\n梯度的大小",
        "after_one": "经过 {k} 层：",
        "after_many": "经过 {k} 层：",
        "bound": "仅导数：",
        "norm_axis": "第 0 步的权值梯度范数",
        "ratio_title": "第一层\n÷ 最后一层：",
        "moved_title": "{steps} 步后第一层的\n相对变化：",
        "regions_title": "{name}：准确率 {accuracy}",
        "arm_white": "一条臂",
        "arm_black": "另一条臂",
        "regions_ground": "底色：网络的判断",
        "answer_bound": "sigmoid 的导数至多是 {peak}",
        "answer_weights": "按常用方式初始化，每一层 sigmoid：{factor}",
        "answer_left": "{depth} 层后，梯度只剩 {left}",
        "answer_first": "前几层学得最慢，甚至完全学不动。",
    },
    "exploding": {
        "question": "如果每一层都把梯度\n乘以一个大于 1 的数？",
        "gradient_size": "梯度的大小",
        "after": "{k} 层后：",
        "arriving_axis": "第 0 步到达该层的梯度",
        "he": "{he}/n (He)",
        "first_last": "第一层 ÷ 最后一层：",
        "loss": "损失",
        "clipped": "{oversized}/n，\n梯度裁剪\n到范数 {clip}",
        "first_crossing": "第一次：× {factor}",
        "then_each": "之后每层：\n× {factor}",
        "nan_at": "第 {step} 步：NaN",
        "answer_rule": "每层因子 {factor}，共 {depth} 层：{growth}",
        "answer_tame": "驯服它：保持方差的初始化，\n再加上梯度裁剪。",
        "dial_each": "每层：",
        "dial_vanishing": "消失",
        "dial_flat": "平稳 (He)",
        "dial_exploding": "爆炸",
    },
    "activations": {
        "question": "常见的激活函数长什么样？\n它们的梯度在哪里消失？",
        "region_dead": "死区：导数为零",
        "region_saturated": "饱和区",
        "region_small": "导数很小",
        "legend_function": "激活函数本身",
        "legend_slope": "它的导数",
        "legend_shade": "导数接近零的区域",
        "range": "值域",
        "use": "用途：{use}",
        "column_activation": "激活函数",
        "column_range": "值域",
        "column_slope": "最大导数",
        "closing": "导数衰减或为零的地方，梯度就停下了。",
        "relation_steps": "先拉伸，再平移",
        "relation_gap": "最多相差 {gap}",
        "smooth_far": "x ≥ {start} 时：",
        "smooth_within": "与 ReLU 相差不到 {gap}",
        "smooth_lowest": "{name}：最低 {value}",
        "smooth_floor": "ELU：趋近 {value}",
    },
    "dead-relu": {
        "question": "如果一个 ReLU 单元的输入\n在每个样本上都是负数，会怎样？",
        "zone": "输出 0，导数 0",
        "every_input": "所有输入上 {z}",
        "verdict": "没有更新：死了，\n除非下面的层发生变化",
        "came_back": "恢复的\n单元数，按层",
        "share_axis": "在每个输入上都小于零的单元比例",
        "step": "第 {step} 步：",
        "dead": "{share} 死亡",
        "harmless": "少量死单元：危害不大（稍后实测）",
        "net_axis": "第一层单元在每个点上的 {net}",
        "net_share_axis": "比例",
        "below_title": "{net} 的比例：",
        "below_start": "开始：{share}",
        "below_relu": "ReLU，第 {steps} 步：{share}",
        "below_leaky": "Leaky ReLU：{share}，\n那里导数 {slope}",
        "removed_axis": "每层去掉的单元比例（最弱的先去）",
        "kept_axis": "准确率",
        "chance": "随机猜",
        "silent": "ReLU 中\n毫无贡献的单元，\n按层：\n{shares}",
        "leaky_column": "Leaky",
        "no_gradient": "没有梯度",
        "accuracy": "准确率",
        "units_axis": "每层的单元数",
        "born_axis": "一出生就死的比例，{depth} 层深",
        "born_note": "每种宽度 {trials} 个\n随机网络，He 初始化",
        "answer": "{where} 时，ReLU 传不回梯度：",
        "answer_stuck": "卡住的单元只有在下面的层变化时才能再学。",
        "answer_leaky": "Leaky ReLU：{where} 时 {slope}",
    },
    "softmax": {
        "question": "网络要从几个类别中选出一个。\n它怎样把原始得分变成概率？",
        "logits": "logit z：原始得分",
        "exponentials": "取指数：全部为正",
        "probabilities": "概率 p",
        "temperature": "温度 T",
        "columns_sum": "每一列、每一行的和都为零",
        "softmax": "softmax",
        "regression": "多项逻辑回归",
        "answer_rule": "Softmax：先取指数，再除以总和。",
        "answer_each": "每个类别一个概率。",
    },
    "choosing": {
        "question": "该用哪种激活函数？",
        "hidden": "隐藏层",
        "output": "输出层",
        "relu_first": "优先 ReLU",
        "fallback": "Leaky ReLU\nELU · GELU",
        "works_badly": "效果不好？",
        "avoid": "不用 sigmoid：",
        "tanh": "tanh：可以接受，\n但仍会饱和",
        "two_classes": "二分类",
        "several_classes": "多分类",
        "regression": "回归",
        "sigmoid": "sigmoid",
        "softmax": "softmax",
        "identity": "恒等函数",
        "answer_hidden": "隐藏层：优先选择 ReLU。",
        "answer_output": "输出层：按任务选 sigmoid、softmax 或不用激活函数。",
        "axis_input": "输入",
        "axis_output": "输出",
        "target": "目标 {target}",
        "short": "差 {gap} 以上",
        "reaches": "正好达到",
    },
}


NARRATION = {
    "neuron": {
        "question": "单个神经元到底在计算什么？从经典网络中取出一个神经元，看它怎么算。",
        "layers": "隐层和输出层的每一个神经元都包含一个激活函数。输入层没有激活函数，它只负责把输入传下去。",
        "weights": "隐层神经元 h1 接收两个输入：{i1} 和 {i2}。每个输入都有一个权值，表示它有多重要："
                   "{w1} 和 {w2}。偏置再加上 {b1}。",
        "products": "每个输入乘以它的权值：{w1} 乘 {i1} 得 {w1_i1}，{w2} 乘 {i2} 得 {w2_i2}。",
        "sum": "神经元把这些乘积和偏置加起来。这个加权求和的结果 net h1 等于 {net_h1}。",
        "activation": "然后由激活函数把它变弯。{net_h1} 经过 sigmoid 得到 {out_h1}：这就是神经元的输出 out h1。",
        "answer": "所以，一个神经元就是加权求和，加上偏置，再经过一个激活函数。",
    },
    "nonlinearity": {
        "question": "网络为什么需要激活函数？如果不用激活函数，会出什么问题？",
        "layers": "取两个线性层，中间什么也不加。第一层计算 W1 x 加 b1；第二层把结果乘以 W2，再加上 b2。",
        "collapse": "把它展开。W2 乘 W1 得到一个矩阵 {W_text}，W2 b1 加 b2 得到一个偏置 {b_text}："
                    "合起来就是单独一个线性层。",
        "check": "在输入 {x_text} 上验证一下。第一层得到 {hidden_text}，第二层得到 {y_two}。"
                 "单独一个线性层同样得到 {y_one}。",
        "stack": "再加第三层，甚至第一百层，这些乘积还是会合并成一个矩阵和一个偏置。没有激活函数，"
                 "层数再多也没有用：输出始终是输入的线性组合。",
        "house": "原文的例子：房价和房间数、楼层、采光率之间，单看一个特征，可以是线性的；但特征一多，"
                 "真实的关系往往是复杂的非线性组合，而线性层叠得再多，也只能画出直线。",
        "fit": "现在看一次真实的拟合。一个有 {layers} 个隐层、每层 {width} 个单元的网络，去学习一条弯弯曲曲的曲线，"
               "也就是红色的点。训练三次：一次用恒等函数，也就是不用激活函数；一次用 tanh；一次用 ReLU。",
        "train": "看 {steps} 步训练中的拟合过程。tanh 和 ReLU 弯曲着贴合这些点；没有激活函数，拟合结果始终是一条直线。",
        "mse": "最终的均方误差：不用激活函数时是 {mse_identity}，和最好的直线一样。tanh 是 {mse_tanh}，"
               "ReLU 是 {mse_relu}：小了 {ratio} 倍。",
        "hinges": "ReLU 是怎么把直线弯成曲线的？每个 ReLU 单元都是一个折点：先是零，过了折点变成一条直线。"
                  "先放一段斜线，曲线每拐一次弯，就加一个改变斜率的单元。{units} 个单元就已经贴合了曲线："
                  "与曲线的均方误差是 {hinge_mse}，而对同一条曲线最好的直线是 {curve_line_mse}。",
        "answer": "堆叠的线性层只是一个线性映射。要拟合曲线，网络需要非线性因素：这就是激活函数存在的原因。",
    },
    "forward": {
        "question": "网络怎样把输入变成误差？沿着前向传播，一层一层地跟踪这些数值。",
        "inputs": "输入是 {i1} 和 {i2}。输入层没有激活函数，直接把它们传下去。",
        "hidden": "每个隐层神经元先加权求和，再经过 sigmoid：net h1 是 {net_h1}，所以 out h1 是 {out_h1}。"
                  "同理，out h2 是 {out_h2}。",
        "output": "输出层神经元对隐层的输出做同样的计算：out o1 是 {out_o1}，out o2 是 {out_o2}。",
        "errors": "把它们和目标值 {t1}、{t2} 比较。差的平方的一半就是误差：E o1 = {E_o1}，E o2 = {E_o2}。",
        "total": "两者之和就是总误差，E total = {E_total}。训练要做的，就是把这个数降下来。",
        "answer": "这就是前向传播：一层一层地加权求和、经过激活函数，最后得到一个误差。"
                  "反向传播沿着同一条路径反向走回去。",
    },
    "backprop": {
        "question": "每个权值对误差贡献了多少？链式法则会一个因子一个因子地给出答案。",
        "w5": "先看从 h1 到 o1 的 w5。它先经过 net o1，再经过 out o1，才影响到误差。",
        "f1": "第一个因子：误差随 out o1 的变化率，也就是 out o1 减去目标值：{w5_f1}。",
        "f2": "第二个因子：out o1 随 net o1 的变化率，也就是 sigmoid 的导数，out 乘以一减 out：{w5_f2}。",
        "f3": "第三个因子：net o1 随 w5 的变化率，也就是 w5 所传递的输入 out h1：{w5_f3}。",
        "product": "三个因子相乘：误差对 w5 的梯度是 {grad_w5}。",
        "update": "梯度下降沿梯度的反方向走一步。学习率为 {lr} 时，w5 从 {w5} 变为 {w5_new}。",
        "w1": "再看 w1，它深了一层。它对误差的影响有两条路径：一条经过 o1，一条经过 o2。",
        "paths": "在每条路径上把因子相乘。经过 o1：{via_o1}；经过 o2：{via_o2}。合起来是 {dE_dout_h1}。",
        "sum": "再乘上两个因子，链条就完整了：h1 自己的 sigmoid 导数 {slope_h1}，以及输入 {i1}。"
               "w1 的梯度是 {grad_w1}。",
        "bridge": "注意每条路径上都有 sigmoid 的导数，out 乘以一减 out，每一个至多是 {slope_bound}。"
                  "权值越靠前，要乘的这种因子就越多。",
        "answer": "答案是：权值通过从它到 E 的每一条路径影响误差。沿每条路径把因子相乘，再把各条路径的乘积相加，"
                  "就是它的梯度；梯度下降沿梯度的反方向更新它。",
    },
    "vanishing": {
        "question": "为什么使用 {deep_title} 激活函数的深层网络，前几层几乎学不动？看梯度每经过一层会发生什么。",
        "slope": "sigmoid 把任何输入都压到 (0, 1) 之间。它的导数是 σ 乘以一减 σ，在 x = 0 处最大，也只有 {peak}。",
        "saturate": "|x| 超过 {saturation_x} 以后，曲线几乎是平的：导数不到峰值的十分之一。sigmoid 在那里饱和了。",
        "w5": "在经典网络中，输出层权值 w5 的梯度是三个因子的乘积，其中一个是 sigmoid 的导数：{slope_o1}。",
        "w1": "w1 又深了一层：两条路径，每条都经过两个 sigmoid 导数。它的梯度 {grad_w1} 比 w5 的小 {ratio} 倍。",
        "split": "这 {ratio} 倍从哪里来？多出来的导数（在 h1 处）只占 {split_slope} 倍。"
                 "{split_input} 倍来自输入：w1 乘的是 i1，只有 {i1}，而 w5 乘的是 out h1，即 {out_h1}。"
                 "还有 {split_error} 倍来自权值：经 w5 和 w7 传回时两条路径部分抵消，"
                 "到 h1 只剩 {dE_dout_h1}，而在 o1 处是 {dE_dnet_o1}。",
        "deep": "现在堆叠 {depth} 层，使用 {deep_title} 激活函数。梯度往回传时，每一层只把收到的梯度的约 "
                "{typical_factor} 传下去。",
        "product": "这些因子相乘。经过 {depth} 层后，梯度只剩下 {reach_last}：第一层的权值几乎不动。",
        "measured": "再看真实的训练：一个 {trained_depth} 层的网络学习螺旋数据，一次用 sigmoid，一次用 ReLU。"
                    "第一步时，sigmoid 网络第一层得到的梯度是最后一层的 {sigmoid_ratio}；ReLU 网络是 {relu_ratio}。",
        "moved": "训练 {trained_steps} 步后，sigmoid 网络的第一层只变化了自身大小的 {sigmoid_change}；"
                 "ReLU 网络的第一层变化了 {relu_change}。",
        "regions": "代价落在螺旋本身上：点的颜色表示它属于哪条臂，底色是网络在那里的判断。sigmoid 网络把 {sigmoid_plane} "
                   "的平面都判给同一条臂，准确率 {sigmoid_accuracy}，和瞎猜一样。ReLU 网络把两条臂都描了出来，"
                   "准确率 {relu_accuracy}。",
        "answer": "答案是：sigmoid 的导数至多是 {peak}。按常用方式初始化，权值补不回来："
                  "每一层只传下约 {sigmoid_factor}，所以深层 sigmoid 网络的前几层学得最慢，甚至完全学不动。",
    },
    "exploding": {
        "question": "如果每一层都把梯度乘以一个大于一的数，会怎样？",
        "factor": "取一个 {depth} 层的 ReLU 网络，权值按方差 {oversized}/n 初始化，而 He 的规则是 {he}/n。"
                  "梯度往回传时，第一次只经过 ReLU，保留 {first_factor}；之后每一层大约把它乘以 {later_factor}。",
        "product": "这些因子不断累乘。经过 {depth} 层后，梯度变大了 {reach_last} 倍。",
        "measured": "一个训练中的网络，宽 {trained_width}，深度和初始化都相同，结果也一样：第 0 步时，"
                    "到达它 {weight_layers} 个权值层中第一层的梯度，是到达最后一层的 {trained_ratio} 倍。"
                    "用 He 初始化时，这个比值是 {he_ratio}。",
        "blowup": "梯度下降按这么大的梯度迈出一步。第一步之前损失就已经是 {first_loss}，"
                  "到第 {nan_step} 步就已经不是一个数了：训练到此为止。",
        "tame": "把梯度的范数裁剪到 {clip}，每一步都很小：损失保持有限，{steps} 步后是 {clip_final}。"
                "He 初始化让每层的因子接近一，网络能正常学习：损失从 {he_first} 降到 {he_final}。",
        "dial": "梯度消失和梯度爆炸其实是同一个旋钮：权值的尺度。在 ReLU 网络里，把每个权值都乘以同一个数，"
                "每层的因子也正好乘以这个数，因为处于激活状态的还是那些单元。方差为 {dial_low}/n 时，"
                "每层把梯度乘以 {dial_low_factor}，经过 {depth} 层后只剩 {dial_low_reach}。",
        "dial_flat": "调到 He 的 {he}/n：每层的因子是 {dial_he_factor}，梯度到达时保留了 {dial_he_reach}。",
        "dial_up": "再调到 {oversized}/n：每层乘以 {later_factor}，梯度变大 {reach_last} 倍。"
                   "网络相同，激活的单元也相同：变的只是权值的尺度。",
        "answer": "大于一的因子和小于一的因子一样会累积，只是方向朝上。用保持方差的初始化，再加上梯度裁剪，"
                  "就能驯服它。",
    },
    "activations": {
        "question": "常见的激活函数长什么样？它们的梯度在哪里消失？",
        "legend": "实线是函数本身；下方的虚线是它的导数；灰色区域表示导数接近零。",
        "each": {
            "curve": "{item[title]}：它的导数至多是 {item[peak]}。",
            "dead": "当 {item[dead_where]} 时，导数恰好为零：没有梯度能通过。",
            "saturated": "当 {item[saturated_where]} 时，导数不到峰值的 {share}：函数饱和了。",
            "small": "当 {item[small_where]} 时，导数很小，只有 {item[small_slope]}，但从不为零。",
            "use": "用在哪里？{item[use]}。",
        },
        "relation": "tanh 就是拉伸、平移后的 sigmoid：tanh(x) = 2σ(2x) − 1，两边只差舍入误差"
                    "（这里最多相差 {relation_error}）。所以它的导数 4σ′(2x) 最大为 {tanh_peak}，"
                    "是 sigmoid 的 {sigmoid_peak} 的四倍。",
        "smooth": "叠在一起看，ELU、GELU 和 SiLU 都是把 ReLU 的拐角磨圆了。x ≥ {smooth_from} 时，"
                  "它们与 ReLU 都相差不到 {far_gap}；x 为负时，它们降到零以下：GELU 最低到 {gelu_min}，"
                  "SiLU 到 {silu_min}，ELU 则趋近 {elu_floor}。",
        "answer": "答案是：导数衰减或为零的地方，梯度就停下了。隐藏层偏爱 ReLU 家族：对任何正的输入，"
                  "导数都是 {relu_slope}。",
    },
    "dead-relu": {
        "question": "如果一个 ReLU 单元在每个样本上的输入都是负数，会怎样？它还能学习吗？",
        "zero": "x 小于零时，ReLU 输出零，导数也是零。前向传不过去任何信号，反向也没有梯度传回来。",
        "dead": "现在看一个单元，它在每个输入上的预激活值都是负数。它处处输出零，经过它的每个梯度都要乘以零。",
        "stuck": "所以它的权值得不到任何更新。在第一层，输入是固定的数据，它就永远死了；"
                 "在更深的层，它还可能活过来，但只有在它下面的层发生变化时才会。",
        "hot": "再看真实的训练：{layers} 个 ReLU 隐层，每层 {width} 个单元，学习两条交错的螺旋，"
               "学习率是 {lr}：实在太大了。",
        "harmless": "一开始，已经有 {start_dead} 的单元是死的。单是这一点危害不大："
                    "训练好的网络只用一部分单元也能预测，这次训练结束时我们来量一量。",
        "rising": "但过大的步长把越来越多的单元推到零以下。{steps} 步之后，{relu_dead} 的单元死了，"
                  "{relu_no_grad} 的单元完全得不到梯度。网络的准确率是 {relu_accuracy}。"
                  "有些死单元又活了过来：按层是 {relu_back_1}、{relu_back_2} 和 {relu_back_3} 个，第一层一个也没有。",
        "leaky": "Leaky ReLU 的单元也会滑到零以下，占 {leaky_negative}。但它们在那里的斜率是 {leaky_slope}，"
                 "而不是零：每个单元仍然有梯度，按层有 {leaky_back_1}、{leaky_back_2} 和 {leaky_back_3} 个又活了过来，"
                 "网络的准确率达到 {leaky_accuracy}。",
        "below": "这些单元去哪儿了？看第一层在每个点上的 net：开始时有 {below_before} 小于等于零。{steps} 步之后，"
                 "ReLU 网络有 {relu_below_after} 小于等于零，最低到 {lowest_net}，那里它的导数是零。"
                 "Leaky ReLU 网络也有 {leaky_below_after}，但它在那里的导数是 {leaky_slope}。",
        "redundant": "死单元本身是损失吗？从两个训练好的网络里去掉单元，最弱的先去。每一层去掉 {removed} 之后，"
                     "Leaky ReLU 网络的准确率仍有 {leaky_kept}，全部保留时是 {leaky_accuracy}：很多信号是冗余的。"
                     "ReLU 网络即使去掉 {most_removed}，也保持在 {relu_kept}：它的死单元本来就什么也没传。",
        "born": "网络越深，情况越糟。{born_depth} 层深的随机 ReLU 网络，宽度为 {born_narrow} 时有 {p_narrow} "
                "一出生就是死的，宽度 {born_three} 时是 {p_three}，宽度 {born_wide} 时是 {p_wide}："
                "还没开始训练，就已经是常数函数了。",
        "answer": "ReLU 的零区域会截断梯度：卡在那里的单元得不到更新，只有下面的层发生变化才能让它活过来。少量稀疏无妨；"
                  "像 Leaky ReLU 那样在负半轴留一个小斜率，就能让单元保持活跃。",
    },
    "softmax": {
        "question": "网络要从几个类别中选出一个。它怎样把原始得分变成概率？",
        "logits": "输出层为每个类别给出一个原始得分，叫作 logit：这里是 {z1}、{z2} 和 {z3}。logit 可以是任意实数。",
        "exp": "softmax 先对每个得分取指数：{e1}、{e2} 和 {e3}。现在每个值都是正的，差变成了倍数："
               "z1 比 z2 大 {logit_gap}，它的指数就是后者的 {exp_ratio} 倍。",
        "normalise": "然后除以它们的和 {exp_sum}。得到的 {p1}、{p2} 和 {p3} 就是概率：它们的和为 {p_sum}。",
        "sharpen": "现在先把 logit 除以一个温度 T。把 T 调低到 {t_low}，分布变得更尖锐：最大的类别得到 {top_low}。",
        "flatten": "把 T 调高到 {t_high}，分布变得平缓：最大的类别只得到 {top_high}。T = {t_base} 时，"
                   "又回到普通的 softmax。",
        "two": "只有两个类别时，softmax 就是两个 logit 之差的 sigmoid。对 logit {a} 和 {b}，softmax 给出 {two_p}，"
               "{diff} 的 sigmoid 也是 {two_sigmoid}。",
        "jacobian": "它的雅可比矩阵是 diag(p) 减去 p 乘以 p 的转置。每一列的和都是零：提高一个 logit，"
                    "只是在类别之间重新分配概率。每一行的和也是零：给所有 logit 加上同一个数，什么都不变。",
        "use": "所以 softmax 用在多分类的输出层。如果它前面只有一个线性层，那就是多项逻辑回归。",
        "answer": "答案是：softmax 对得分取指数，再除以它们的和，为每个类别给出一个概率，总和为 {p_sum}。",
    },
    "choosing": {
        "question": "该用哪种激活函数？这取决于它所在的层。",
        "hidden": "隐藏层优先选择 ReLU。对任何正的输入，它的导数都是 {relu_slope}，所以梯度能穿过很深的网络。",
        "fallback": "如果 ReLU 效果不好，比如出现很多死掉的单元，就试试 Leaky ReLU，或者更平滑的 ELU 和 GELU。",
        "avoid": "隐藏层不要使用 sigmoid：它的导数至多是 {sigmoid_bound}，层数一深，梯度就消失了。"
                 "tanh 可以接受：它以零为中心，不过仍会饱和。",
        "output": "输出层取决于任务。二分类问题选择 sigmoid，给出一个零到一之间的概率。",
        "multiclass": "多分类问题选择 softmax，每个类别一个概率，总和为一。",
        "regression": "回归问题不用激活函数，也就是恒等函数，这样输出可以覆盖整个实数域。",
        "reach": "为什么不用？设目标值是 {target}。sigmoid 的输出总在零到一之间：输入再往左，也只是接近 "
                 "{sigmoid_floor}，离目标仍差 {gap} 以上。恒等函数在输入为 {target} 时，输出正好是 {target}。",
        "answer": "隐藏层：优先选择 ReLU。输出层：按任务选择 sigmoid、softmax，或者不用激活函数。",
    },
}
