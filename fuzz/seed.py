#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the repo's test data (crates/hadir/testdata) and test inputs.

Run from anywhere: `python3 fuzz/seed.py`. Files are named by the SHA-1 of their content (as
libFuzzer names them), so re-running adds nothing twice. Afterwards minimise with
`cargo fuzz cmin <target>` (see docs/reliability.md, "Fuzzing").
"""

import base64
import hashlib
import json
import pathlib
import re

FUZZ = pathlib.Path(__file__).resolve().parent
REPO = FUZZ.parent
TESTDATA = REPO / "crates" / "hadir" / "testdata"


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = FUZZ / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


vectors = json.loads((TESTDATA / "booking-tokens.json").read_text())
scans = [case["input"] for case in vectors["cases"]]
scans += [text for sequence in vectors["sequences"] for text in sequence["inputs"]]
scans += [item["booking_code"] for item in vectors["cache"]] + vectors["revoked"]
# Inputs of the unit tests in crates/hadir/src/booking/mod.rs.
scans += ["mp7k2q9xa4\r\n", "  MP7K2Q9XA4\t", "ABCDEFG", "ABCDEFGH", "A" * 20, "A" * 21,
          "MP7K2\0Q9XA4", "MP7K2Q9XA4\nX", "MP7K2Q9XÄ4", "MP7K-2Q9XA4"]

# scanned_text: every scan as the scanner types it (the 2000-byte case is kept: the limit).
for text in scans:
    put("scanned_text", text)

# token_payload: the JSON inside every token of the vectors, plus the unit tests' claims.
for text in scans:
    parts = text.strip().split(".")
    if len(parts) >= 2 and parts[0] == "MPQ1":
        try:
            put("token_payload", b64url_decode(parts[1]))
        except ValueError:
            pass
put("token_payload", '{"v":1,"k":"k1","b":"MP7K2Q9XA4","o":"KANIM-KUPANG","d":"2026-11-29",'
    '"n":2,"svc":"baru","iat":1764300000}')
put("token_payload", '{"v":1,"k":"demo","b":"MP7K2Q9XA4","o":"KANIM-KUPANG","d":"2026-11-29",'
    '"s":"08:00","e":"09:00","n":5,"svc":"hilang_rusak","x":true,"iat":-1,"future":{"a":[1]}}')

# feed_body: the sample feed bodies, and the vectors' cache as a full body.
for name in ["feed-full.json", "feed-delta.json", "feed-bad-items.json"]:
    put("feed_body", (TESTDATA / name).read_bytes())
put("feed_body", json.dumps({"office": "KANIM-KUPANG", "date": "2026-11-29", "full": True,
                             "cursor": "c1", "appointments": vectors["cache"],
                             "revoked": vectors["revoked"]}, indent=1))
put("feed_body", b'{"office": "X"')

# config: the documented example file, the unit tests' snippets, and an empty file.
docs = (REPO / "docs" / "configuration.md").read_text()
for block in re.findall(r"```toml\n(.*?)```", docs, re.S):
    put("config", block)
    put("config", re.sub(r"^# ?", "", block, flags=re.M))  # with the commented keys set
tests = (REPO / "crates" / "hadir" / "src" / "config" / "mod.rs").read_text()
for snippet in re.findall(r'parse\(\s*r#"(.*?)"#', tests, re.S):
    put("config", snippet)
for snippet in re.findall(r'parse\("((?:[^"\\]|\\.)*)"\)', tests):
    put("config", snippet.encode().decode("unicode_escape"))
put("config", "")
