"""One DuckDB value as JSON for the Rust tests: floats (and decimals) as
{"float": repr}, the shortest text that reads back exactly."""
import decimal


def cell(v):
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, (float, decimal.Decimal)):
        return {"float": repr(float(v))}
    return {"other": str(v)}
