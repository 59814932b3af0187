"""JSON written byte for byte as JavaScript's JSON.stringify writes it (number formatting, key order,
2-space indent or compact), so that files the app writes and files this package writes are identical."""
import decimal
import math


def js_number(x):
    """Number::toString of ECMAScript for a finite int or float."""
    if isinstance(x, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        return "null"
    if x == 0:
        return "0"
    d = decimal.Decimal(repr(float(x))).normalize()
    sign, digits, exp = d.as_tuple()
    s = "".join(map(str, digits))
    k = len(s)
    n = exp + k  # position of the decimal point relative to the digits
    if k <= n <= 21:
        out = s + "0" * (n - k)
    elif 0 < n <= 21:
        out = s[:n] + "." + s[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + s
    else:
        e = n - 1
        mant = s if k == 1 else s[0] + "." + s[1:]
        out = f"{mant}e{'+' if e > 0 else '-'}{abs(e)}"
    return ("-" if sign else "") + out


def _string(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif o < 0x20 or 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def stringify(v, indent=None, _level=0):
    """JSON.stringify(v) (indent None) or JSON.stringify(v, null, indent)."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return js_number(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, (list, tuple)):
        if not v:
            return "[]"
        items = [stringify(x, indent, _level + 1) for x in v]
        if indent is None:
            return "[" + ",".join(items) + "]"
        pad, inner = " " * (indent * _level), " " * (indent * (_level + 1))
        return "[\n" + ",\n".join(inner + x for x in items) + "\n" + pad + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = [(_string(str(k)), stringify(x, indent, _level + 1)) for k, x in v.items()]
        if indent is None:
            return "{" + ",".join(f"{k}:{x}" for k, x in items) + "}"
        pad, inner = " " * (indent * _level), " " * (indent * (_level + 1))
        return "{\n" + ",\n".join(f"{inner}{k}: {x}" for k, x in items) + "\n" + pad + "}"
    raise TypeError(f"cannot write {type(v).__name__} as JSON")
