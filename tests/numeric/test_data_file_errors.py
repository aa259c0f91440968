"""A data or model file whose content is wrong raises DataFileError (a NumericError) naming the file."""

from __future__ import annotations

import numpy as np
import pytest

from derivations import DataFileError, NumericError
from numeric.data import numeric_columns, read_table
from numeric.io import load_model


@pytest.mark.parametrize("text, fragment", [
    ("", "no data rows"),
    ("1,2,3\n4,5\n", "different numbers of columns"),
])
def test_bad_csv_content(tmp_path, text, fragment):
    path = tmp_path / "data.csv"
    path.write_text(text)
    with pytest.raises(DataFileError, match=fragment) as info:
        read_table(path)
    assert isinstance(info.value, NumericError) and "data.csv" in str(info.value)


def test_a_feature_cell_that_is_no_number(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("1,2,3\n4,x,6\n")
    _, rows = read_table(path)
    with pytest.raises(DataFileError, match="data.csv' data row 2: features must be numbers"):
        numeric_columns(rows, slice(0, 2), str(path))


def test_an_npz_that_is_no_model(tmp_path):
    path = tmp_path / "m.npz"
    np.savez(path, something=np.zeros(3))
    with pytest.raises(DataFileError, match="m.npz"):
        load_model(path)
