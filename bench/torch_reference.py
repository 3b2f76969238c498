"""PyTorch reference for bench/train-throughput.ts: the same decoder-only transformer (learned
positions, pre-LN, tanh-GELU, untied head), the same batch shape and AdamW, timed on CPU.
Prints one JSON line: {"tokens_per_sec": ..., "ms_per_step": ..., "threads": ..., "torch": ..., "matmul_gflops": ...}.
matmul_gflops places the BLAS torch loaded: Debian's torch links libblas.so.3, which is the
reference BLAS (~2 GFLOP/s) unless libopenblas0-pthread is installed (~20 GFLOP/s on one core)."""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h, f):
        super().__init__()
        self.h = h
        self.ln1 = nn.LayerNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln2 = nn.LayerNorm(d)
        self.up = nn.Linear(d, f)
        self.down = nn.Linear(f, d)

    def forward(self, x, mask):
        b, t, d = x.shape
        hd = d // self.h
        y = self.ln1(x)
        q, k, v = (p(y).view(b, t, self.h, hd).transpose(1, 2) for p in (self.q, self.k, self.v))
        s = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + mask
        a = (F.softmax(s, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.o(a)
        return x + self.down(F.gelu(self.up(self.ln2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab, ctx, layers, d, h, f):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(ctx, d) * 0.01)
        self.blocks = nn.ModuleList(Block(d, h, f) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        t = ids.shape[1]
        mask = torch.triu(torch.full((t, t), -1e9), diagonal=1)
        x = self.tok(ids) + self.pos[:t]
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(self.ln(x))


def matmul_gflops(d):
    a, b = torch.randn(1536, d), torch.randn(d, 4 * d)
    for _ in range(3):
        a @ b
    t0 = time.perf_counter()
    for _ in range(20):
        a @ b
    return 2 * 1536 * d * 4 * d * 20 / (time.perf_counter() - t0) / 1e9


def main():
    cfg = json.loads(sys.argv[1])
    if cfg.get("threads"):  # 0 = torch default
        torch.set_num_threads(int(cfg["threads"]))
    torch.manual_seed(0)
    m = Gpt(cfg["vocab"], cfg["context"], cfg["layers"], cfg["width"], cfg["heads"], cfg["ffn"])
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.01)
    b, t = cfg["batch"], cfg["context"]
    ids = torch.randint(0, cfg["vocab"], (b, t))
    tgt = torch.randint(0, cfg["vocab"], (b, t))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(m(ids).view(b * t, -1), tgt.view(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()
        return loss.item()

    for _ in range(cfg.get("warmup", 2)):
        step()
    n = cfg.get("steps", 5)
    t0 = time.perf_counter()
    for _ in range(n):
        step()
    ms = (time.perf_counter() - t0) * 1000 / n
    print(json.dumps({"tokens_per_sec": b * t * 1000 / ms, "ms_per_step": ms, "threads": torch.get_num_threads(), "torch": torch.__version__, "matmul_gflops": matmul_gflops(cfg["width"])}))


if __name__ == "__main__":
    main()
