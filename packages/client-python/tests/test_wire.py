"""The spool and wire encodings, checked against the exact strings the TypeScript side writes
(superjson.stringify and packages/sdk/src/spool-file.ts's column-wise point lines)."""

import json
import math
import unittest

from finetrack._wire import decode_spool_line, encode_spool_line, plain, superjson_decode, superjson_encode


class WireTest(unittest.TestCase):
    def test_superjson_matches_the_typescript_output(self):
        # node -e 'superjson.stringify({t:"create",input:{config:{"a.b":NaN, arr:[1,-Infinity]}}})'
        expected = '{"json":{"t":"create","input":{"config":{"a.b":"NaN","arr":[1,"-Infinity"]}}},"meta":{"values":{"input.config.a\\\\.b":["number"],"input.config.arr.1":["number"]},"v":1}}'
        got = superjson_encode({"t": "create", "input": {"config": {"a.b": math.nan, "arr": [1, -math.inf]}}})
        self.assertEqual(json.loads(got), json.loads(expected))
        back = superjson_decode(json.loads(expected))
        self.assertTrue(math.isnan(back["input"]["config"]["a.b"]))
        self.assertEqual(back["input"]["config"]["arr"], [1, -math.inf])

    def test_plain_records_have_no_meta(self):
        self.assertEqual(superjson_encode({"t": "x", "input": {"a": 1}}), '{"json":{"t":"x","input":{"a":1}}}')

    def test_point_lines_are_column_wise(self):
        line = encode_spool_line({"t": "points", "points": [("loss", 0, 1.5, 0.0, 10), ("acc", 0, math.nan, None, 10), ("loss", 1, math.inf, None, None)]})
        parsed = json.loads(line)
        self.assertEqual(parsed, {"t": "p", "keys": ["loss", "acc"], "k": [0, 1, 0], "s": [0, 0, 1], "v": [1.5, "NaN", "Infinity"], "e": [0.0, None, None], "tm": [10, 10, None]})
        record = decode_spool_line(line)
        self.assertEqual(record["points"][0], ("loss", 0, 1.5, 0.0, 10))
        self.assertTrue(math.isnan(record["points"][1][2]))

    def test_prototype_names_are_plain_keys(self):
        names = ["constructor", "__proto__", "toString", "hasOwnProperty", "prototype"]
        config = {n: {n: 1} for n in names}
        back = superjson_decode(json.loads(superjson_encode({"t": "create", "input": {"config": config}})))
        self.assertEqual(back["input"]["config"], config)

    def test_rest_bodies_name_non_finite_numbers(self):
        self.assertEqual(plain({"v": [math.nan, math.inf, -math.inf, 1.0]}), {"v": ["NaN", "Infinity", "-Infinity", 1.0]})


if __name__ == "__main__":
    unittest.main()
