"""What machine a run ran on, with the same keys the TypeScript SDK records (plus Python's own)."""

import os
import platform
import socket
import subprocess
from typing import Any, Dict, Optional


def _git(*args: str) -> Optional[str]:
    try:
        out = subprocess.run(["git", *args], capture_output=True, text=True, timeout=3)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _memory_bytes() -> Optional[int]:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def capture_system_info() -> Dict[str, Any]:
    info: Dict[str, Any] = {
        "python": platform.python_version(),
        "os": f"{platform.system().lower()} {platform.release()}",
        "arch": platform.machine(),
        "cpu": platform.processor() or platform.machine(),
        "cpuCount": os.cpu_count() or 1,
        "hostname": socket.gethostname(),
        "client": "finetrack-python",
    }
    memory = _memory_bytes()
    if memory:
        info["memoryBytes"] = memory
    commit = _git("rev-parse", "HEAD")
    if commit:
        info["gitCommit"] = commit
        branch = _git("rev-parse", "--abbrev-ref", "HEAD")
        if branch:
            info["gitBranch"] = branch
        status = _git("status", "--porcelain", "--untracked-files=no")
        if status is not None:
            info["gitDirty"] = bool(status)
    return info
