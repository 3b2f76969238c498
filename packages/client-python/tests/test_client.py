"""finetrack.init / log / summary / finish against a real server."""

import json
import math
import os
import tempfile
import time
import unittest

import finetrack
from finetrack._wire import decode_number

from .server import API_KEY, PROJECT, URL, require_server, series


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.client = require_server(self)
        self.home = tempfile.mkdtemp(prefix="ft-py-home-")

    def start(self, **fields):
        return finetrack.init(project=PROJECT, url=URL, api_key=API_KEY, home=self.home, quiet=True, **fields)

    def test_a_run_logs_its_fields_curves_and_summary(self):
        run = self.start(name="py-lora", base_model="Qwen/Qwen2.5-0.5B", dataset={"name": "alpaca", "version": "v1", "train_size": 900},
                         method="lora", config={"learning_rate": 2e-4, "lora_r": 8, "optimizer": {"constructor": "AdamW"}}, tags=["py"], seed=3)
        for step in range(2000):
            run.log({"train/loss": 2.0 / (1 + step), "val/loss": math.nan if step == 7 else 1.0 + abs(step - 1200) / 2000}, step=step, epoch=step / 1000)
        run.summary({"best_val_loss": 1.0})
        self.assertTrue(run.finish(summary={"tokens": 12345}))
        stored = self.client.get_run(run.id)
        self.assertEqual(stored["baseModel"], "Qwen/Qwen2.5-0.5B")
        self.assertEqual(stored["method"], "lora")
        self.assertEqual(stored["status"], "finished")
        self.assertEqual(stored["config"]["optimizer"], {"constructor": "AdamW"})
        self.assertEqual(stored["summary"]["best_val_loss"], 1.0)
        self.assertEqual(stored["summary"]["tokens"], 12345)
        self.assertEqual(stored["system"]["client"], "finetrack-python")
        curves = series(self.client, run.id, ["train/loss", "val/loss"])
        self.assertEqual(curves["train/loss"]["total"], 2000)
        self.assertEqual(curves["val/loss"]["total"], 2000)
        values = [decode_number(v) for v in curves["val/loss"]["value"]]
        self.assertTrue(math.isnan(values[7]))
        self.assertAlmostEqual(values[1999], 1.0 + 799 / 2000)
        self.assertFalse(os.path.exists(os.path.join(self.home, "spool", f"{run.id}.jsonl")))

    def test_steps_default_to_one_past_the_last(self):
        run = self.start(name="auto-step")
        for i in range(5):
            run.log({"loss": float(i)})
        self.assertTrue(run.finish())
        curve = series(self.client, run.id, ["loss"])["loss"]
        self.assertEqual(curve["step"], [0, 1, 2, 3, 4])

    def test_bad_input_raises_the_sdks_messages(self):
        run = self.start(name="bad-input")
        with self.assertRaisesRegex(TypeError, "metric names must be 1-256 characters"):
            run.log({"": 1.0}, step=0)
        with self.assertRaisesRegex(TypeError, "metric 'acc' must be a number, got the string 'x'"):
            run.log({"acc": "x"}, step=0)
        with self.assertRaisesRegex(TypeError, "step must be an integer"):
            run.log({"acc": 1.0}, step=-1)
        self.assertTrue(run.finish())

    def test_input_the_server_refuses_is_kept_aside_not_retried(self):
        run = self.start(name="x" * 500)  # the server allows 200 characters
        run.log({"loss": 1.0}, step=0)
        started = time.monotonic()
        run.finish(timeout_s=10)
        self.assertLess(time.monotonic() - started, 10)
        rejected = os.path.join(self.home, "spool", f"{run.id}.rejected.jsonl")
        self.assertTrue(os.path.exists(rejected))
        with open(rejected, encoding="utf-8") as f:
            self.assertIn('"t":"create"', f.read())

    def test_a_refused_point_is_set_aside_and_the_rest_of_its_batch_stored(self):
        run = self.start(name="conflict")
        run.log({"a": 1.0}, step=0)
        time.sleep(2.5)  # past one flush interval: the next point goes in a second batch
        run.log({"a": 2.0, "b": 3.0}, step=0)  # a conflicts with the stored value at step 0; b is fine
        self.assertTrue(run.finish())
        curves = series(self.client, run.id, ["a", "b"])
        self.assertEqual(curves["a"]["value"], [1.0])
        self.assertEqual(curves["b"]["value"], [3.0])
        with open(os.path.join(self.home, "spool", f"{run.id}.rejected.jsonl"), encoding="utf-8") as f:
            kept = [json.loads(line) for line in f]
        self.assertEqual([(line["keys"], line["v"]) for line in kept], [(["a"], [2.0])])

    def test_a_key_for_another_project_keeps_the_run_in_the_spool(self):
        slug = f"py-other-{int(time.time() * 1000) % 10**8}"
        self.client.request("POST", "/projects", {"slug": slug, "name": slug})
        # The test key is for PROJECT: a run of another project is refused as KEY_PROJECT_MISMATCH.
        other = finetrack.init(project=slug, url=URL, api_key=API_KEY, home=self.home, quiet=True, name="wrong-project")
        other.log({"loss": 1.0}, step=0)
        self.assertFalse(other.finish(timeout_s=3))
        spool = os.path.join(self.home, "spool", f"{other.id}.jsonl")
        self.assertTrue(os.path.exists(spool))  # kept for `finetrack sync` with the right key
        self.assertFalse(os.path.exists(os.path.join(self.home, "spool", f"{other.id}.rejected.jsonl")))

    def test_an_unreachable_server_never_reaches_the_training_loop(self):
        run = finetrack.init(project=PROJECT, url="http://127.0.0.1:9", api_key="ft_nothing", home=self.home, quiet=True, name="away")
        for step in range(100):
            run.log({"loss": 1.0 / (step + 1)}, step=step)
        self.assertFalse(run.finish(timeout_s=2))
        spool = os.path.join(self.home, "spool", f"{run.id}.jsonl")
        with open(spool, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertTrue(lines[0].startswith('{"json":{"t":"create"'))
        self.assertTrue(lines[-1].startswith('{"json":{"t":"finish"'))
        self.assertEqual(sum(len(json.loads(l)["s"]) for l in lines if l.startswith('{"t":"p"')), 100)
        self.assertFalse(os.path.exists(os.path.join(self.home, "spool", f"{run.id}.lock")))


if __name__ == "__main__":
    unittest.main()
