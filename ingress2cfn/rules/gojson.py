"""Decode already-parsed JSON (Python lists/dicts) into a Go-shaped structure the way Go's
`encoding/json` does, because LBC's JSON annotations are read that way (lbc-semantics §0, §1):

* object keys match struct fields exactly first, else case-insensitively (`"Type"` fills `type`);
* unknown keys are ignored; `null` leaves a field unset;
* a key seen twice (`"type"` and `"Type"`) keeps the last value; an object decoded twice into the
  same struct field merges;
* type mismatches fail with Go's wording
  (`json: cannot unmarshal number into Go struct field RedirectActionConfig.redirectConfig.port of type string`).

A decoded struct is a dict holding only the fields that were present and not null, under their
canonical (Go tag) names; a slice is a list; `IntOrString` stays an int or a str as written.
"""

from __future__ import annotations

from typing import Any

import msgspec

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


class GoJSONError(Exception):
    """The first type error, worded like Go's json.UnmarshalTypeError."""


class GoType(msgspec.Struct, frozen=True):
    name: str  # Go type name for messages: string, int32, []ingress.RuleCondition ...


class String(GoType, frozen=True):
    name: str = "string"


class Bool(GoType, frozen=True):
    name: str = "bool"


class Int32(GoType, frozen=True):
    name: str = "int32"


class IntOrString(GoType, frozen=True):
    """k8s.io/apimachinery intstr.IntOrString: a JSON string stays a string, anything else must be an int32."""

    name: str = "intstr.IntOrString"


class Slice(GoType, frozen=True):
    elem: GoType = String()


class StringMap(GoType, frozen=True):
    name: str = "map[string]string"


class Struct(GoType, frozen=True):
    fields: tuple[tuple[str, GoType], ...] = ()

    def field(self, key: str) -> tuple[str, GoType] | None:
        for name, typ in self.fields:
            if name == key:
                return name, typ
        folded = key.casefold()
        for name, typ in self.fields:
            if name.casefold() == folded:
                return name, typ
        return None


def slice_of(elem: GoType) -> Slice:
    short = elem.name
    return Slice(name=f"[]{short}", elem=elem)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


class _Decoder:
    def __init__(self, hints: bool = True) -> None:
        self.hints = hints  # append our own fix hints to Go's message (off: Go's words only)
        self.first_error: str | None = None
        self.struct: str | None = None  # innermost struct being decoded (Go's errorContext.Struct)
        self.fields: list[str] = []  # JSON field names from the root (Go's errorContext.FieldStack)

    def fail(self, value: str, typ: GoType, hint: str = "") -> None:
        if self.first_error is not None:
            return  # like Go: decoding goes on, the first type error is reported
        if self.struct is not None and self.fields:
            where = f"Go struct field {self.struct}.{'.'.join(self.fields)}"
        else:
            where = "Go value"
        self.first_error = f"json: cannot unmarshal {value} into {where} of type {typ.name}{hint}"

    def decode(self, data: Any, typ: GoType, into: Any = None) -> Any:
        """The decoded value, or None for 'leave unset' (null, or a type error)."""
        if data is None:
            return into  # null is a no-op
        if isinstance(typ, Struct):
            if not isinstance(data, dict):
                self.fail(_kind(data), typ)
                return into
            out: dict[str, Any] = into if isinstance(into, dict) else {}
            saved_struct, depth = self.struct, len(self.fields)
            for key, value in data.items():
                match = typ.field(str(key))
                if match is None:
                    continue  # unknown keys are ignored
                name, field_type = match
                self.struct = typ.name.rsplit(".", 1)[-1]
                self.fields.append(name)
                decoded = self.decode(value, field_type, out.get(name))
                del self.fields[depth:]
                if decoded is not None:
                    out[name] = decoded
            self.struct = saved_struct
            return out
        if isinstance(typ, Slice):
            if not isinstance(data, list):
                self.fail(_kind(data), typ)
                return into
            items = []
            for value in data:
                decoded = self.decode(value, typ.elem)
                items.append(_zero(typ.elem) if decoded is None else decoded)
            return items
        if isinstance(typ, StringMap):
            if not isinstance(data, dict):
                self.fail(_kind(data), typ)
                return into
            out_map: dict[str, str] = into if isinstance(into, dict) else {}
            for key, value in data.items():
                decoded = self.decode(value, String())
                if decoded is not None:
                    out_map[str(key)] = decoded
            return out_map
        if isinstance(typ, String):
            if not isinstance(data, str):
                hint = f'; write it as a JSON string: "{data}"' if self.hints and _kind(data) == "number" else ""
                self.fail(_kind(data), typ, hint)
                return into
            return data
        if isinstance(typ, Bool):
            if not isinstance(data, bool):
                self.fail(_kind(data), typ)
                return into
            return data
        if isinstance(typ, Int32):
            return self._int32(data, typ, into)
        if isinstance(typ, IntOrString):
            if isinstance(data, str):
                return data
            # intstr.IntOrString.UnmarshalJSON decodes a non-string into a bare int32: no field context
            saved = self.struct, list(self.fields)
            self.struct, self.fields = None, []
            value = self._int32(data, Int32(), into)
            self.struct, self.fields = saved
            return value
        raise TypeError(typ)  # a schema bug, not bad input

    def _int32(self, data: Any, typ: GoType, into: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail(_kind(data), typ)
            return into
        if isinstance(data, float) or not INT32_MIN <= data <= INT32_MAX:
            self.fail(f"number {data}", typ)
            return into
        return data


def _zero(typ: GoType) -> Any:
    if isinstance(typ, (Struct, StringMap)):
        return {}
    if isinstance(typ, Slice):
        return []
    if isinstance(typ, String):
        return ""
    if isinstance(typ, Bool):
        return False
    if isinstance(typ, Int32):
        return 0
    return None


def decode(data: Any, typ: GoType, *, hints: bool = True) -> Any:
    """Decode `data` (json.loads output) as Go would into `typ`; GoJSONError on a type error.
    hints=False leaves Go's message bare (no `; write it as a JSON string` fix hint)."""
    decoder = _Decoder(hints)
    value = decoder.decode(data, typ)
    if decoder.first_error is not None:
        raise GoJSONError(decoder.first_error)
    if value is None:
        return _zero(typ)
    return value


def parse_int_or_string(value: int | str) -> int | str:
    """intstr.Parse: a string that is a base-10 integer (Go strconv.Atoi) becomes that number."""
    if isinstance(value, int):
        return value
    text = value
    digits = text[1:] if text[:1] in "+-" else text
    if digits and digits.isascii() and digits.isdigit():
        number = int(text)
        if INT32_MIN <= number <= INT32_MAX:
            return number
    return value


def unknown_keys(data: Any, typ: Struct) -> list[str]:
    """Keys of a JSON object that match no field of `typ`: Go ignores them silently, so a message
    about a missing field names them (a misspelt `fixedResponse` is the usual cause)."""
    if not isinstance(data, dict):
        return []
    return [str(key) for key in data if typ.field(str(key)) is None]
