"""A report kind's data files: read through the user's cache, always as their text now says."""

import pytest

from workreport.errors import TemplateError
from workreport.kind import read_yaml


def test_a_data_file_is_read_as_its_text_says_after_every_change(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = tmp_path / "outline.yaml"
    data.write_text("sections:\n  - id: 保险\n", encoding="utf-8")
    assert read_yaml(data) == {"sections": [{"id": "保险"}]}
    assert list((tmp_path / "cache" / "workreport").glob("data-*.marshal"))  # kept for the next run
    assert read_yaml(data) == {"sections": [{"id": "保险"}]}
    data.write_text("sections:\n  - id: 青春健康\n", encoding="utf-8")  # same length, maybe the same mtime
    assert read_yaml(data) == {"sections": [{"id": "青春健康"}]}
    data.write_text("sections: [\n", encoding="utf-8")
    with pytest.raises(TemplateError):
        read_yaml(data)
