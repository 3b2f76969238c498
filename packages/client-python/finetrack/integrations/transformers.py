"""A Hugging Face `transformers.TrainerCallback` that logs a Trainer (or TRL / LLaMA-Factory, which
use it) to finetrack:

    from finetrack.integrations.transformers import FinetrackCallback
    trainer = Trainer(..., callbacks=[FinetrackCallback(project="default", dataset="alpaca")])

It follows the protocol of transformers' `trainer_callback.TrainerCallback` (the Trainer calls
`on_train_begin(args, state, control, model=…)`, `on_log(args, state, control, logs=…)`,
`on_evaluate(args, state, control, metrics=…)`, `on_save`, `on_train_end`) and the conventions of the
built-in integrations in `integrations/integration_utils.py`: set up only on the main process
(`state.is_world_process_zero`), `rewrite_logs` names (`eval_*` → `eval/*`, `test_*` → `test/*`,
the rest → `train/*`), `state.global_step` as the step, and one run per trial during
`hyperparameter_search`. transformers itself is not imported: the callback works on duck-typed
arguments, so it has no dependency to install. The end-of-training aggregates (`train_runtime`,
`train_loss`, `total_flos` …) go to the run's summary, not to curves.
"""

import math
import os
import sys
from typing import Any, Dict, Mapping, Optional

from .. import _run
from .._settings import read_settings

#: Every event of transformers' TrainerCallback (trainer_callback.py); the Trainer's CallbackHandler
#: calls each of them on every callback.
EVENTS = ("on_init_end", "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_step_begin", "on_pre_optimizer_step",
          "on_optimizer_step", "on_substep_end", "on_step_end", "on_evaluate", "on_predict", "on_save", "on_log", "on_prediction_step", "on_push_begin")


class _NoOpCallback:
    """Stands in for transformers.TrainerCallback when transformers is not installed."""


for _event in EVENTS:
    setattr(_NoOpCallback, _event, lambda self, args, state, control, **kwargs: None)

try:  # Subclass the real base class when transformers is installed, as Trainer expects.
    from transformers import TrainerCallback as _Base  # type: ignore
except Exception:  # noqa: BLE001 - any import problem means "not installed"
    _Base = _NoOpCallback

#: The end-of-training entry of `log_history` (Trainer._inner_training_loop's `metrics`).
SUMMARY_KEYS = frozenset({"train_runtime", "train_samples_per_second", "train_steps_per_second", "total_flos", "train_loss"})
#: Bookkeeping that is not a curve.
SKIPPED_LOG_KEYS = frozenset({"epoch", "step"})
PREFIXES = ("eval_", "test_")


def rewrite_logs(logs: Mapping[str, Any]) -> Dict[str, float]:
    """transformers' rewrite_logs: eval_x → eval/x, test_x → test/x, everything else → train/x;
    non-numeric values dropped (the Trainer logs strings and lists now and then)."""
    out: Dict[str, float] = {}
    for key, value in logs.items():
        if key in SKIPPED_LOG_KEYS or key in SUMMARY_KEYS:
            continue
        number = _number(value)
        if number is None:
            continue
        for prefix in PREFIXES:
            if key.startswith(prefix):
                out[prefix[:-1] + "/" + key[len(prefix):]] = number
                break
        else:
            out["train/" + key] = number
    return out


def _number(value: Any) -> Optional[float]:
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (int, float)):
        try:
            value = value.item()
        except Exception:  # noqa: BLE001
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _to_dict(obj: Any) -> Dict[str, Any]:
    if obj is None:
        return {}
    if isinstance(obj, Mapping):
        return dict(obj)
    for name in ("to_dict", "to_diff_dict"):
        fn = getattr(obj, name, None)
        if callable(fn):
            try:
                value = fn()
                if isinstance(value, Mapping):
                    return dict(value)
            except Exception:  # noqa: BLE001
                pass
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")} if hasattr(obj, "__dict__") else {}


def _jsonable(value: Any, depth: int = 0) -> Any:
    """Config values as JSON: enums by value, sets as sorted lists, unknown objects as their repr."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if depth > 6:
        return repr(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v, depth + 1) for v in value), key=repr)
    enum_value = getattr(value, "value", None)
    if enum_value is not None and isinstance(enum_value, (str, int, float)):
        return enum_value
    return repr(value)


#: Keys never sent (secrets in TrainingArguments).
SECRET_KEYS = frozenset({"hub_token", "push_to_hub_token", "api_key", "token"})


class FinetrackCallback(_Base):  # type: ignore[misc, valid-type]
    """Logs a Trainer run to finetrack. Every argument is optional; FINETRACK_URL /
    FINETRACK_API_KEY / FINETRACK_MODE / FINETRACK_RUN_ID are read like `finetrack.init` does."""

    def __init__(self, project: Optional[str] = None, name: Optional[str] = None, dataset: Any = None, base_model: Optional[str] = None,
                 method: Optional[str] = None, tags: Optional[list] = None, group: Optional[str] = None, **init_kwargs: Any):
        self._project = project or os.environ.get("FINETRACK_PROJECT") or "default"
        self._name = name
        self._dataset = dataset
        self._base_model = base_model
        self._method = method
        self._tags = tags
        self._group = group
        self._init_kwargs = init_kwargs
        self.run: Optional[_run.Run] = None
        #: The id of the run this callback logged last (it stays after on_train_end).
        self.last_run_id: Optional[str] = None
        self._initialized = False
        self._resume_id = read_settings().run_id
        self._skip_through: Dict[str, int] = {}
        self._warned = False

    # ---- setup ------------------------------------------------------------------------------------

    def setup(self, args: Any, state: Any, model: Any = None, **kwargs: Any) -> None:
        self._initialized = True
        if not getattr(state, "is_world_process_zero", True):
            return
        config: Dict[str, Any] = {k: v for k, v in _to_dict(args).items() if k not in SECRET_KEYS}
        model_config = _to_dict(getattr(model, "config", None))
        peft = getattr(model, "peft_config", None)
        peft_configs = {str(k): _to_dict(v) for k, v in peft.items()} if isinstance(peft, Mapping) else {}
        adapter = next(iter(peft_configs.values()), {})
        if model_config:
            config["model_config"] = model_config
        if adapter:
            config["peft_config"] = adapter
        counts = self._parameter_counts(model)
        config.update(counts)
        trial_params = getattr(state, "trial_params", None)
        if getattr(state, "is_hyper_param_search", False) and isinstance(trial_params, Mapping):
            config.update(trial_params)
        base_model = self._base_model or adapter.get("base_model_name_or_path") or model_config.get("_name_or_path") or model_config.get("model_type")
        peft_type = adapter.get("peft_type")
        method = self._method or (_jsonable(peft_type).lower() if peft_type else "full")
        run_name = self._name or getattr(state, "trial_name", None) or config.get("run_name")
        if run_name and run_name == config.get("output_dir"):
            run_name = None  # TrainingArguments defaults run_name to output_dir
        run_id = None
        if self._resume_id and not getattr(state, "is_hyper_param_search", False):
            run_id = self._resume_id
        seed = config.get("seed")
        self.run = _run.init(
            project=self._project,
            id=run_id,
            name=run_name or None,
            base_model=str(base_model) if base_model else None,
            base_model_params=counts.get("num_parameters"),
            dataset=self._dataset,
            method=method,
            config=_jsonable(config),
            tags=self._tags,
            group=self._group or (os.path.basename(str(config.get("output_dir", ""))) if getattr(state, "is_hyper_param_search", False) else None),
            seed=seed if isinstance(seed, int) and not isinstance(seed, bool) and -2**31 <= seed < 2**31 else None,
            **self._init_kwargs,
        )
        self.last_run_id = self.run.id
        if run_id:
            self._skip_through = self._logged_steps(self.run)

    @staticmethod
    def _parameter_counts(model: Any) -> Dict[str, int]:
        counts: Dict[str, int] = {}
        nb = getattr(model, "get_nb_trainable_parameters", None)
        if callable(nb):
            try:
                trainable, total = nb()
                return {"num_parameters": int(total), "num_trainable_parameters": int(trainable)}
            except Exception:  # noqa: BLE001
                pass
        fn = getattr(model, "num_parameters", None)
        if callable(fn):
            try:
                counts["num_parameters"] = int(fn())
                counts["num_trainable_parameters"] = int(fn(only_trainable=True))
            except TypeError:
                pass
            except Exception:  # noqa: BLE001
                pass
        return counts

    @staticmethod
    def _logged_steps(run: "_run.Run") -> Dict[str, int]:
        """On resume (FINETRACK_RUN_ID): the last stored step per metric, so steps the restarted
        Trainer replays after its checkpoint are not logged twice with other values."""
        if run._client is None:
            return {}
        try:
            stored = run._client.get_run(run.id)
        except Exception:  # noqa: BLE001 - a new run, or the server is away: log everything
            return {}
        stats = stored.get("metricStats") if isinstance(stored, Mapping) else None
        if not isinstance(stats, Mapping):
            return {}
        return {k: int(v["lastStep"]) for k, v in stats.items() if isinstance(v, Mapping) and isinstance(v.get("lastStep"), (int, float))}

    def _guard(self, what: str, fn, *args: Any, **kwargs: Any) -> None:
        """A logging problem must never stop training."""
        try:
            fn(*args, **kwargs)
        except Exception as error:  # noqa: BLE001
            if not self._warned:
                self._warned = True
                print(f"finetrack: the Trainer callback failed in {what} ({type(error).__name__}: {error}); training goes on", file=sys.stderr)

    # ---- TrainerCallback events ------------------------------------------------------------------

    def on_train_begin(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        if getattr(state, "is_hyper_param_search", False) and self.run is not None:
            # A new trial: end the last trial's run, start a run for this one.
            self._guard("on_train_begin", self.run.finish)
            self.run = None
            self._initialized = False
        if not self._initialized:
            self._guard("on_train_begin", self.setup, args, state, model, **kwargs)

    def on_log(self, args: Any, state: Any, control: Any, logs: Optional[Mapping[str, Any]] = None, model: Any = None, **kwargs: Any) -> None:
        if not self._initialized:
            self._guard("on_log", self.setup, args, state, model)
        if self.run is None or not logs or not getattr(state, "is_world_process_zero", True):
            return
        self._guard("on_log", self._log, state, logs)

    def _log(self, state: Any, logs: Mapping[str, Any]) -> None:
        summary = {k: _number(v) for k, v in logs.items() if k in SUMMARY_KEYS and _number(v) is not None}
        if summary:
            self.run.summary(summary)
        step = int(getattr(state, "global_step", 0) or 0)
        metrics = {k: v for k, v in rewrite_logs(logs).items() if step > self._skip_through.get(k, -1)}
        epoch = _number(logs.get("epoch", getattr(state, "epoch", None)))
        if metrics:
            self.run.log(metrics, step=step, epoch=epoch if epoch is not None and math.isfinite(epoch) and epoch >= 0 else None)

    def on_evaluate(self, args: Any, state: Any, control: Any, metrics: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> None:
        # The Trainer also passes these metrics to on_log (see the recorded call order), so only
        # the best-so-far bookkeeping is taken here.
        if self.run is None or not getattr(state, "is_world_process_zero", True):
            return
        self._guard("on_evaluate", self._best, args, state)

    def _best(self, args: Any, state: Any) -> None:
        best = _number(getattr(state, "best_metric", None))
        if best is None:
            return
        values: Dict[str, Any] = {"best_metric": best}
        name = getattr(args, "metric_for_best_model", None)
        if name:
            values["metric_for_best_model"] = name
            greater = getattr(args, "greater_is_better", None)
            values["greater_is_better"] = bool(greater) if greater is not None else not str(name).endswith("loss")
        for key in ("best_global_step", "best_model_checkpoint"):
            value = getattr(state, key, None)
            if value is not None:
                values[key] = value
        self.run.summary(values)

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.run is None or not getattr(state, "is_world_process_zero", True):
            return
        step = int(getattr(state, "global_step", 0) or 0)
        folder = os.path.join(str(getattr(args, "output_dir", "") or "."), f"checkpoint-{step}")
        self._guard("on_save", self.run.log_artifact, f"checkpoint-{step}", "checkpoint", folder, metadata={"step": step})

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.run is None or not getattr(state, "is_world_process_zero", True):
            return
        self._guard("on_train_end", self._best, args, state)
        summary = {"global_step": int(getattr(state, "global_step", 0) or 0)}
        flos = _number(getattr(state, "total_flos", None))
        if flos is not None:
            summary["total_flos"] = flos
        run, self.run = self.run, None
        self._initialized = False
        self._guard("on_train_end", run.finish, "finished", summary)
