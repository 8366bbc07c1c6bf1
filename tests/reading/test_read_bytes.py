"""Reading a report file: the whole file, never more than the limit, whatever fstat said of its size."""

from __future__ import annotations

import os

import pytest

from disclosure_lint.errors import InputError
from disclosure_lint.reading import _read_to_end, read_bytes


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 70_000, 200_000])
def test_a_file_is_read_whole(tmp_path, size):
    path = tmp_path / "r.txt"
    data = os.urandom(size)
    path.write_bytes(data)
    assert read_bytes(str(path), 1 << 20) == data


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(b"x" * 1000)
    assert read_bytes(str(path), 1000) == b"x" * 1000
    path.write_bytes(b"x" * 1001)
    with pytest.raises(InputError):
        read_bytes(str(path), 1000)


def test_a_file_that_grew_after_fstat_is_read_to_its_end_within_the_limit(tmp_path):
    path = tmp_path / "r.txt"
    data = b"y" * 150_000
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        # fstat said 10 bytes (the file grew since): the rest is read on, in chunks.
        assert _read_to_end(fd, 1 << 20, 10, str(path)) == data
        os.lseek(fd, 0, os.SEEK_SET)
        with pytest.raises(InputError):
            _read_to_end(fd, 100_000, 10, str(path))
    finally:
        os.close(fd)
