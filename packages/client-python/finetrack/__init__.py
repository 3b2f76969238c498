"""finetrack: log fine-tuning runs to a finetrack server from Python (standard library only).

    import finetrack
    run = finetrack.init(project="default", name="lora-r8", base_model="gpt2", dataset="alpaca", method="lora",
                         config={"learning_rate": 3e-4})
    run.log({"train/loss": 1.23}, step=10)
    run.finish()

Hugging Face Trainer: `from finetrack.integrations.transformers import FinetrackCallback` and pass
`callbacks=[FinetrackCallback()]`.
"""

__version__ = "0.1.0"

from ._run import Run, init  # noqa: E402

__all__ = ["Run", "init", "__version__"]
