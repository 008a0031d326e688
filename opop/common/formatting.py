"""Display formats the programme uses everywhere."""

from lokal import format_rupiah


def rupiah(amount: int | None) -> str:
    """`1500000` -> `Rp1.500.000` (whole Rupiah)."""
    if amount is None:
        return "–"
    return format_rupiah(int(amount))


def thousands(number: int | None) -> str:
    """`1000000` -> `1.000.000`, Indonesian grouping regardless of the active language."""
    if number is None:
        return "–"
    return f"{int(number):,}".replace(",", ".")


def percent(part: int, whole: int) -> float | None:
    if not whole:
        return None
    return round(100 * part / whole, 1)
