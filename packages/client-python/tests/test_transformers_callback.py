"""FinetrackCallback driven by the exact call sequence and arguments of a real transformers 5.18
Trainer (tests/fixtures/transformers-5.18/transformers-callback-trace.json, recorded from
`Trainer.train()`: see its README), against a real server. transformers cannot be installed here, so
`args`, `state`, `control` and `model` are rebuilt from the recorded values with the attributes and
methods the Trainer's objects have (`TrainingArguments.to_dict()`, `PretrainedConfig.to_dict()`,
`PeftModel.peft_config[name].to_dict()`, `PreTrainedModel.num_parameters()`)."""

import copy
import json
import os
import tempfile
import unittest
from types import SimpleNamespace
from unittest import mock

from finetrack.integrations.transformers import FinetrackCallback, rewrite_logs

from .server import API_KEY, PROJECT, URL, require_server, series

TRACE = os.path.join(os.path.dirname(__file__), "fixtures", "transformers-5.18", "transformers-callback-trace.json")


class Dictable(SimpleNamespace):
    def __init__(self, values):
        super().__init__(**values)
        self._values = values

    def to_dict(self):
        return copy.deepcopy(self._values)


class FakeModel:
    def __init__(self, begin):
        self.config = Dictable(begin["model_config"])
        self.peft_config = {name: Dictable(cfg) for name, cfg in begin["peft_config"].items()}
        self._count = begin["num_parameters"]

    def num_parameters(self):  # the trace recorded num_parameters(); the keyword form is not known
        return self._count


def load_trace():
    with open(TRACE, encoding="utf-8") as f:
        return json.load(f)


def replay(callback, events, args, model, state_overrides=None, logs_transform=None):
    for event in events:
        state = SimpleNamespace(**{**event["state"], **(state_overrides or {})})
        control = SimpleNamespace(**event["control"])
        kwargs = {k: None for k in event["kwargs"]}
        kwargs["model"] = model
        if "logs" in event["kwargs"]:
            kwargs["logs"] = logs_transform(event["kwargs"]["logs"]) if logs_transform else event["kwargs"]["logs"]
        if "metrics" in event["kwargs"]:
            kwargs["metrics"] = event["kwargs"]["metrics"]
        getattr(callback, event["event"])(args, state, control, **kwargs)


class TransformersCallbackTest(unittest.TestCase):
    def setUp(self):
        self.client = require_server(self)
        self.trace = load_trace()
        self.events = self.trace["events"]
        self.begin = next(e for e in self.events if e["event"] == "on_train_begin")
        self.args = Dictable(self.begin["args_to_dict"])
        self.model = FakeModel(self.begin)
        self.home = tempfile.mkdtemp(prefix="ft-py-hf-")
        self.env = mock.patch.dict(os.environ, {"FINETRACK_URL": URL, "FINETRACK_API_KEY": API_KEY, "FINETRACK_HOME": self.home}, clear=False)
        self.env.start()
        os.environ.pop("FINETRACK_RUN_ID", None)

    def tearDown(self):
        self.env.stop()

    def logged(self, key):
        return [(e["state"]["global_step"], e["kwargs"]["logs"][key]) for e in self.events if e["event"] == "on_log" and key in e["kwargs"]["logs"]]

    def test_a_recorded_trainer_run_becomes_one_run_with_curves_summary_and_fields(self):
        callback = FinetrackCallback(project=PROJECT, dataset="tiny-shakespeare", quiet=True)
        replay(callback, self.events, self.args, self.model)
        self.assertIsNone(callback.run)
        run_id = callback.last_run_id
        stored = self.client.get_run(run_id)
        self.assertEqual(stored["status"], "finished")
        self.assertEqual(stored["name"], "trace-run")
        self.assertEqual(stored["baseModel"], "gpt2")  # _name_or_path is empty for a model built from a config
        self.assertEqual(stored["method"], "lora")
        self.assertEqual(stored["baseModelParams"], 15840)
        config = stored["config"]
        self.assertEqual(config["learning_rate"], 0.001)
        self.assertEqual(config["peft_config"]["r"], 4)
        self.assertEqual(config["peft_config"]["target_modules"], ["c_attn"])
        self.assertEqual(config["model_config"]["n_layer"], self.begin["model_config"]["n_layer"])
        self.assertNotIn("hub_token", config)
        summary = stored["summary"]
        final = self.events[-2]["kwargs"]["logs"]
        for key in ("train_runtime", "train_loss", "total_flos", "train_samples_per_second"):
            self.assertEqual(summary[key], final[key])
        self.assertEqual(summary["best_metric"], self.events[-1]["state"]["best_metric"])
        self.assertEqual(summary["best_model_checkpoint"], "/home/u/runs/a/checkpoint-12")
        self.assertEqual(summary["metric_for_best_model"], "eval_loss")
        self.assertFalse(summary["greater_is_better"])
        self.assertEqual(summary["global_step"], 12)
        keys = self.client.request("GET", f"/runs/{run_id}/keys")["keys"]
        self.assertIn("train/loss", keys)
        self.assertIn("eval/loss", keys)
        for aggregate in ("train/train_runtime", "train/train_loss", "train/total_flos", "train/epoch", "eval/epoch"):
            self.assertNotIn(aggregate, keys)
        curves = series(self.client, run_id, ["train/loss", "eval/loss", "train/learning_rate", "train/grad_norm"])
        for key, source in (("train/loss", "loss"), ("eval/loss", "eval_loss"), ("train/learning_rate", "learning_rate"), ("train/grad_norm", "grad_norm")):
            expected = self.logged(source)
            self.assertEqual(list(zip(curves[key]["step"], curves[key]["value"])), expected, key)
        self.assertEqual(curves["eval/loss"]["epoch"], [0.25, 0.5, 0.75])
        artifacts = self.client.request("GET", f"/runs/{run_id}/artifacts")
        names = sorted(a["name"] for a in (artifacts["artifacts"] if isinstance(artifacts, dict) else artifacts))
        self.assertEqual(names, ["checkpoint-12", "checkpoint-8"])

    def test_a_restart_with_FINETRACK_RUN_ID_resumes_without_duplicate_steps(self):
        crash_at = next(i for i, e in enumerate(self.events) if e["event"] == "on_step_end" and e["state"]["global_step"] == 11)
        first = FinetrackCallback(project=PROJECT, quiet=True)
        replay(first, self.events[:crash_at], self.args, self.model)
        run_id = first.run.id
        first.run.finish(status="failed", error="the machine went away")  # what atexit does when the process dies
        # The restarted Trainer resumes from checkpoint-8 and replays steps 9-12, with slightly different numbers.
        resume_from = next(i for i, e in enumerate(self.events) if e["event"] == "on_save")
        restart = [self.begin] + self.events[resume_from + 1:]
        with mock.patch.dict(os.environ, {"FINETRACK_RUN_ID": run_id}):
            second = FinetrackCallback(project=PROJECT, quiet=True)
            replay(second, restart, self.args, self.model, logs_transform=lambda logs: {k: (v + 0.5 if k == "loss" else v) for k, v in logs.items()})
        self.assertEqual(second.last_run_id, run_id)
        curve = series(self.client, run_id, ["train/loss"])["train/loss"]
        original = dict(self.logged("loss"))
        self.assertEqual(curve["step"], [2, 4, 6, 8, 10, 12])
        self.assertEqual(curve["value"][:5], [original[s] for s in (2, 4, 6, 8, 10)])  # kept, not overwritten
        self.assertEqual(curve["value"][5], original[12] + 0.5)  # new after the restart
        self.assertFalse(os.path.exists(os.path.join(self.home, "spool", f"{run_id}.rejected.jsonl")))
        self.assertEqual(self.client.get_run(run_id)["status"], "finished")

    def test_hyperparameter_search_logs_one_run_per_trial(self):
        callback = FinetrackCallback(project=PROJECT, quiet=True)
        run_ids = []
        for trial, lr in (("trial-0", 1e-3), ("trial-1", 3e-4)):
            overrides = {"is_hyper_param_search": True, "trial_name": trial, "trial_params": {"learning_rate": lr}}
            replay(callback, self.events, self.args, self.model, state_overrides=overrides)
            run_ids.append(callback.last_run_id)
        self.assertEqual(len(set(run_ids)), 2)
        for run_id, (trial, lr) in zip(run_ids, (("trial-0", 1e-3), ("trial-1", 3e-4))):
            stored = self.client.get_run(run_id)
            self.assertEqual(stored["name"], trial)
            self.assertEqual(stored["config"]["learning_rate"], lr)
            self.assertEqual(stored["group"], "a")
            self.assertEqual(stored["status"], "finished")

    def test_only_the_main_process_logs(self):
        callback = FinetrackCallback(project=PROJECT, quiet=True)
        replay(callback, self.events, self.args, self.model, state_overrides={"is_world_process_zero": False, "is_local_process_zero": False})
        self.assertIsNone(callback.run)
        self.assertIsNone(callback.last_run_id)

    def test_rewrite_logs_follows_transformers(self):
        self.assertEqual(rewrite_logs({"loss": 1, "eval_loss": 2, "test_bleu": 3, "epoch": 0.5, "note": "x", "train_runtime": 4}),
                         {"train/loss": 1.0, "eval/loss": 2.0, "test/bleu": 3.0})


if __name__ == "__main__":
    unittest.main()
