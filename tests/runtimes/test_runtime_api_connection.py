"""Both bootstraps keep going when the Runtime API closes their keep-alive connection."""
import pytest

from runtime_harness import start  # noqa: F401 (a pytest fixture)

FUNCTIONS = {
    "python": ({"app.py": "count = 0\ndef handler(e, c):\n    global count\n    count += 1\n    return [e['i'], count]\n"}, "app.handler"),
    "node": ({"index.js": "let count = 0;\nexports.handler = async (e) => [e.i, ++count];\n"}, "index.handler"),
}


@pytest.mark.parametrize("close_mode", ["header", "silent"])
@pytest.mark.parametrize("lang", ["python", "node"])
def test_reconnects_when_the_server_closes_connections(start, lang, close_mode):
    files, handler = FUNCTIONS[lang]
    s = start(lang, files, handler)
    s.api.close_mode = close_mode
    for i in range(1, 6):
        assert s.invoke({"i": i}).json == [i, i]
    # An error goes through the same path.
    out = s.invoke(raw_body=b"{not json")
    assert out.kind == "error"
    assert s.invoke({"i": 7}).json == [7, 6]
    assert s.api.connections > 3
    assert s.process.proc.poll() is None


@pytest.mark.parametrize("lang", ["python", "node"])
def test_chunked_events(start, lang):
    files, handler = FUNCTIONS[lang]
    s = start(lang, files, handler)
    s.api.chunked = True
    for i in range(1, 4):
        assert s.invoke({"i": i, "padding": "x" * (i * 50000)}).json == [i, i]
