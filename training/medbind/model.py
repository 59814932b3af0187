"""The three encoders, written layer for layer as src/model/layers.ts and src/model/encoders/*.ts are, over a
flat dict of parameters with the same names and shapes as src/model/params.ts. The configuration is the
same JSON (src/model/configs/*.json or a weights manifest), so one config builds the same model in both
languages and one weights folder loads in both."""
import math

import torch

PAD_ID = 0


# ---- parameter list (src/model/params.ts) ----

def _linear(specs, name, n_in, n_out):
    specs.append((f"{name}/w", [n_in, n_out], "normal", True))
    specs.append((f"{name}/b", [n_out], "zeros", False))


def _layer_norm(specs, name, dim):
    specs.append((f"{name}/g", [dim], "ones", False))
    specs.append((f"{name}/b", [dim], "zeros", False))


def _mlp_block(specs, name, dim, ratio):
    _layer_norm(specs, f"{name}/ln", dim)
    _linear(specs, f"{name}/fc1", dim, dim * ratio)
    _linear(specs, f"{name}/fc2", dim * ratio, dim)


def _transformer(specs, prefix, dim, depth, mlp_ratio):
    for i in range(depth):
        b = f"{prefix}/block{i}"
        _layer_norm(specs, f"{b}/ln1", dim)
        _linear(specs, f"{b}/qkv", dim, 3 * dim)
        _linear(specs, f"{b}/proj", dim, dim)
        _mlp_block(specs, f"{b}/mlp", dim, mlp_ratio)
    _layer_norm(specs, f"{prefix}/lnf", dim)


def cxr_grid_side(x):
    return x["sizePx"] // x["patchPx"] // 2 ** (len(x["stageDims"]) - 1)


def ecg_tokens(e):
    if e.get("stem") == "conv1d":
        return e["nSamples"] // math.prod(e["convPools"])
    return e["nSamples"] // e["patchSamples"] // e["mergeTokens"]


def cxr_specs(c):
    s, x = [], c["cxr"]
    d = x["stageDims"]
    _linear(s, "cxr/patch", x["patchPx"] * x["patchPx"], d[0])
    _layer_norm(s, "cxr/patch/ln", d[0])
    for i in range(len(d)):
        if i > 0:
            _layer_norm(s, f"cxr/stage{i}/merge/ln", 4 * d[i - 1])
            _linear(s, f"cxr/stage{i}/merge", 4 * d[i - 1], d[i])
        if i < len(d) - 1:
            _mlp_block(s, f"cxr/stage{i}/mlp", d[i], x["stageMlpRatio"])
    dim, side = d[-1], cxr_grid_side(x)
    s.append(("cxr/pos", [side * side + 1, dim], "normal", False))
    s.append(("cxr/cls", [1, dim], "normal", False))
    _transformer(s, "cxr/tf", dim, x["depth"], x["mlpRatio"])
    _linear(s, "cxr/head", dim, c["embedDim"])
    return s


def _conv1d(specs, name, k, n_in, n_out):
    specs.append((f"{name}/w", [k, n_in, n_out], "normal", True))
    specs.append((f"{name}/b", [n_out], "zeros", False))


def ecg_specs(c):
    s, e = [], c["ecg"]
    if e.get("stem") == "conv1d":
        cin = len(e["leads"])
        for i, (cout, k) in enumerate(zip(e["convChannels"], e["convKernels"])):
            _conv1d(s, f"ecg/conv{i}", k, cin, cout)
            _layer_norm(s, f"ecg/conv{i}/ln", cout)
            _layer_norm(s, f"ecg/conv{i}/res/ln", cout)
            _conv1d(s, f"ecg/conv{i}/res", k, cout, cout)
            cin = cout
        _layer_norm(s, "ecg/proj/ln", cin)
        _linear(s, "ecg/proj", cin, e["dim"])
    else:
        _linear(s, "ecg/patch", len(e["leads"]) * e["patchSamples"], e["stemDim"])
        _layer_norm(s, "ecg/patch/ln", e["stemDim"])
        _mlp_block(s, "ecg/stem/mlp", e["stemDim"], 2)
        _layer_norm(s, "ecg/merge/ln", e["mergeTokens"] * e["stemDim"])
        _linear(s, "ecg/merge", e["mergeTokens"] * e["stemDim"], e["dim"])
    s.append(("ecg/pos", [ecg_tokens(e) + 1, e["dim"]], "normal", False))
    s.append(("ecg/cls", [1, e["dim"]], "normal", False))
    _transformer(s, "ecg/tf", e["dim"], e["depth"], e["mlpRatio"])
    _linear(s, "ecg/head", e["dim"], c["embedDim"])
    return s


def text_specs(c):
    s, t = [], c["text"]
    if not t.get("vocabSize", 0) > 0:
        raise ValueError("model config: text.vocabSize must be set from the tokenizer")
    s.append(("text/tok", [t["vocabSize"], t["dim"]], "normal", True))
    s.append(("text/pos", [t["maxTokens"], t["dim"]], "normal", False))
    _transformer(s, "text/tf", t["dim"], t["depth"], t["mlpRatio"])
    _linear(s, "text/head", t["dim"], c["embedDim"])
    return s


def param_specs(c):
    """[(name, shape, init, decay)] in the order of src/model/params.ts paramSpecs."""
    return cxr_specs(c) + ecg_specs(c) + text_specs(c)


def init_params(c, seed):
    """Truncated-normal (2 sd) initial values with std train.initStd, ones for LN gains, zeros for biases."""
    g = torch.Generator().manual_seed(seed)
    std = c["train"]["initStd"]
    params = {}
    for name, shape, init, _ in param_specs(c):
        if init == "ones":
            v = torch.ones(shape)
        elif init == "zeros":
            v = torch.zeros(shape)
        else:
            v = torch.randn(shape, generator=g)
            bad = v.abs() > 2
            while bad.any():
                v[bad] = torch.randn(int(bad.sum()), generator=g)
                bad = v.abs() > 2
            v = v * std
        params[name] = v.float().requires_grad_(True)
    return params


# ---- layers (src/model/layers.ts) ----

def linear(p, name, x):
    return x @ p[f"{name}/w"] + p[f"{name}/b"]


def layer_norm(p, name, x):
    mean = x.mean(-1, keepdim=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdim=True)
    return centred * torch.rsqrt(var + 1e-5) * p[f"{name}/g"] + p[f"{name}/b"]


def gelu(x):
    """GELU, tanh approximation, as layers.ts writes it."""
    return x * 0.5 * (torch.tanh((x + x * x * x * 0.044715) * math.sqrt(2 / math.pi)) + 1)


def mlp_block(p, name, x):
    return x + linear(p, f"{name}/fc2", gelu(linear(p, f"{name}/fc1", layer_norm(p, f"{name}/ln", x))))


def attention(p, name, x, heads, key_mask_add):
    n, T, d = x.shape
    dh = d // heads
    q, k, v = linear(p, f"{name}/qkv", x).split(d, dim=-1)
    qh = q.reshape(n, T, heads, dh).transpose(1, 2)
    kh = k.reshape(n, T, heads, dh).transpose(1, 2)
    vh = v.reshape(n, T, heads, dh).transpose(1, 2)
    scores = (qh @ kh.transpose(-1, -2)) * (1 / math.sqrt(dh))
    if key_mask_add is not None:
        scores = scores + key_mask_add
    out = torch.softmax(scores, dim=-1) @ vh
    return linear(p, f"{name}/proj", out.transpose(1, 2).reshape(n, T, d))


def transformer(p, prefix, x, depth, heads, key_mask_add):
    h = x
    for i in range(depth):
        b = f"{prefix}/block{i}"
        h = h + attention(p, b, layer_norm(p, f"{b}/ln1", h), heads, key_mask_add)
        h = mlp_block(p, f"{b}/mlp", h)
    return layer_norm(p, f"{prefix}/lnf", h)


def with_cls_and_pos(p, prefix, tokens):
    n, _, d = tokens.shape
    cls = p[f"{prefix}/cls"].reshape(1, 1, d).expand(n, 1, d)
    return torch.cat([cls, tokens], 1) + p[f"{prefix}/pos"]


def l2_normalize(x):
    return x * torch.rsqrt((x * x).sum(1, keepdim=True) + 1e-12)


def cls_head(p, name, h):
    return l2_normalize(linear(p, name, h[:, 0, :]))


# ---- encoders (src/model/encoders/*.ts) ----

def merge_grid_2x2(x):
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).permute(0, 1, 3, 2, 4, 5).reshape(n, h // 2, w // 2, 4 * c)


def cxr_forward(p, c, pixels):
    """pixels [n, sizePx, sizePx] (or [n, sizePx*sizePx]) -> [n, embedDim], L2-normalised."""
    x = c["cxr"]
    n = pixels.shape[0]
    pp = x["patchPx"]
    g = x["sizePx"] // pp
    h = pixels.reshape(n, g, pp, g, pp).permute(0, 1, 3, 2, 4).reshape(n, g, g, pp * pp)
    h = layer_norm(p, "cxr/patch/ln", linear(p, "cxr/patch", h))
    d = x["stageDims"]
    for i in range(len(d)):
        if i > 0:
            h = merge_grid_2x2(h)
            h = linear(p, f"cxr/stage{i}/merge", layer_norm(p, f"cxr/stage{i}/merge/ln", h))
        if i < len(d) - 1:
            h = mlp_block(p, f"cxr/stage{i}/mlp", h)
    _, side, _, dim = h.shape
    tokens = with_cls_and_pos(p, "cxr", h.reshape(n, side * side, dim))
    return cls_head(p, "cxr/head", transformer(p, "cxr/tf", tokens, x["depth"], x["heads"], None))


def conv1d_same(p, name, x):
    """'same'-padded stride-1 conv over time; x [n, T, Cin], weights [k, Cin, Cout] (tfjs layout) -> [n, T, Cout]."""
    w = p[f"{name}/w"]
    k = w.shape[0]
    y = torch.nn.functional.conv1d(x.transpose(1, 2), w.permute(2, 1, 0), padding=(k - 1) // 2)
    return y.transpose(1, 2) + p[f"{name}/b"]


def avg_pool(x, factor):
    if factor == 1:
        return x
    n, t, ch = x.shape
    return x.reshape(n, t // factor, factor, ch).mean(2)


def ecg_conv_stem(p, c, x):
    """x [n, T, leads] -> per stage conv -> LN -> ReLU -> average pool -> pre-norm residual conv; -> [n, T', dim]."""
    h = x
    for i, pool in enumerate(c["ecg"]["convPools"]):
        s = f"ecg/conv{i}"
        h = avg_pool(torch.relu(layer_norm(p, f"{s}/ln", conv1d_same(p, s, h))), pool)
        h = h + conv1d_same(p, f"{s}/res", torch.relu(layer_norm(p, f"{s}/res/ln", h)))
    return linear(p, "ecg/proj", layer_norm(p, "ecg/proj/ln", h))


def ecg_forward(p, c, signals):
    """signals [n, leads, nSamples] (lead-major) -> [n, embedDim], L2-normalised."""
    e = c["ecg"]
    n = signals.shape[0]
    n_leads = len(e["leads"])
    if e.get("stem") == "conv1d":
        tokens = with_cls_and_pos(p, "ecg", ecg_conv_stem(p, c, signals.reshape(n, n_leads, e["nSamples"]).transpose(1, 2)))
        return cls_head(p, "ecg/head", transformer(p, "ecg/tf", tokens, e["depth"], e["heads"], None))
    n_patch = e["nSamples"] // e["patchSamples"]
    h = signals.reshape(n, n_leads, n_patch, e["patchSamples"]).permute(0, 2, 1, 3).reshape(n, n_patch, n_leads * e["patchSamples"])
    h = layer_norm(p, "ecg/patch/ln", linear(p, "ecg/patch", h))
    h = mlp_block(p, "ecg/stem/mlp", h)
    h = h.reshape(n, n_patch // e["mergeTokens"], e["mergeTokens"] * e["stemDim"])
    h = linear(p, "ecg/merge", layer_norm(p, "ecg/merge/ln", h))
    tokens = with_cls_and_pos(p, "ecg", h)
    return cls_head(p, "ecg/head", transformer(p, "ecg/tf", tokens, e["depth"], e["heads"], None))


def pad_token_ids(seqs, length_bucket, max_tokens):
    """Pads token id lists as Tokenizer.encodeBatch does: to the longest rounded up to a bucket, capped."""
    seqs = [s[:max_tokens] for s in seqs]
    longest = max([len(s) for s in seqs] + [1])
    T = min(max_tokens, -(-longest // length_bucket) * length_bucket)
    ids = torch.full((len(seqs), T), PAD_ID, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    return ids


def text_forward(p, c, ids):
    """ids [n, T] long (T <= maxTokens; [CLS] first, [PAD] = 0 after the text) -> [n, embedDim]."""
    t = c["text"]
    n, T = ids.shape
    if T > t["maxTokens"]:
        raise ValueError(f"text encoder: {T} tokens > maxTokens {t['maxTokens']}")
    h = p["text/tok"][ids] + p["text/pos"][:T]
    mask_add = ((ids == PAD_ID).float() * -1e9).reshape(n, 1, 1, T)
    return cls_head(p, "text/head", transformer(p, "text/tf", h, t["depth"], t["heads"], mask_add))
