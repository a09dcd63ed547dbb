"""Time to loss: train the character-level GPT of ch4/02_pretraining_gpt.ipynb for a fixed wall time on the CPU.

    python benchmarks/gpt_time_to_loss.py TEXT_FILE [--seconds 70] [--baselines]

The defaults are the notebook's CPU settings (2 layers of width 64, 4 heads, context 32, batch 32, peak learning
rate 5e-3, 5 % warmup) trained for 70 s instead of about 10 s, on one thread: at this size one thread runs a
training step faster than two (the notebook measures it), and it leaves the other core to the rest of the
machine. bf16 autocast (`--bf16`) was not faster on our AMX CPU at these sizes and would change results on CPUs
without bf16 support, so training stays float32. Larger shapes can be given on the command line
(e.g. `--layers 4 --width 128 --context 64 --threads 2`).

The model and training code below are a copy of the notebook's cells (GPTConfig, CausalSelfAttention, MLP,
Block, sinusoids, GPT, make_optimizer, lr_at, get_batch, char_losses): keep the two in sync. The data follow
the notebook too: the text's last 10 % is the validation split, and the vocabulary is the training part's
characters seen at least 5 times plus one unknown symbol. Only the budget differs: the learning-rate schedule
runs on the fraction of the wall time used, so it reaches its floor when the time is up.

Printed at the end: the validation loss per character in nats (every validation character predicted once, in
consecutive windows of `--context` characters: the quantity nanoGPT's estimate_loss samples), steps/s and
characters/s. `--baselines` also scores the notebook's interpolated Kneser-Ney 5-gram model on the same
characters (a few seconds, outside the training budget).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import time
from collections import Counter
from dataclasses import dataclass

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as in the course's kernels: idle OpenMP threads sleep

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

UNK = "\N{REPLACEMENT CHARACTER}"


# ---- the model: a copy of the notebook's section 3 ------------------------------------------------------------


@dataclass
class GPTConfig:
    vocab_size: int
    block_size: int = 64  # the longest context, in characters
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    dropout: float = 0.0


class CausalSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_head, self.dropout = config.n_head, config.dropout
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)  # queries, keys and values in one product
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=p)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))  # heads side by side, then mixed


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd)
        self.mlp = MLP(config)
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x):
        x = x + self.drop(self.attn(self.ln_1(x)))  # positions exchange information
        return x + self.drop(self.mlp(self.ln_2(x)))  # each position computes on its own


def sinusoids(n_positions, width):
    """Vaswani et al.'s position table, sin and cos of position / 10000^(2i / width), at the embeddings' scale."""
    angle = torch.arange(n_positions)[:, None] / 10000 ** (torch.arange(0, width, 2)[None] / width)
    table = torch.stack([angle.sin(), angle.cos()], dim=-1).flatten(1)  # columns sin, cos, sin, cos, ...
    return table * 0.02 / table.std()


class GPT(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(
            {
                "wte": nn.Embedding(config.vocab_size, config.n_embd),  # token embedding
                "wpe": nn.Embedding(config.block_size, config.n_embd),  # position embedding
                "drop": nn.Dropout(config.dropout),
                "h": nn.ModuleList(Block(config) for _ in range(config.n_layer)),
                "ln_f": nn.LayerNorm(config.n_embd),
            }
        )
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # weight tying
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):  # the projections into the residual stream start smaller
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))
        with torch.no_grad():  # positions start as sinusoids (still learned)
            self.transformer.wpe.weight.copy_(sinusoids(config.block_size, config.n_embd))

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(self, idx, targets=None):
        """idx: (batch, time) character ids -> logits (batch, time, vocabulary), and the loss if targets are given."""
        tr = self.transformer
        positions = torch.arange(idx.size(1), device=idx.device)
        x = tr.drop(tr.wte(idx) + tr.wpe(positions))
        for block in tr.h:
            x = block(x)
        logits = self.lm_head(tr.ln_f(x))
        loss = None if targets is None else F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        return logits, loss


# ---- training and evaluation: a copy of the notebook's section 4 ---------------------------------------------


def make_optimizer(model, lr, weight_decay=0.1):
    """AdamW with weight decay on the matrices only (linear maps and embeddings), as nanoGPT."""
    params = [p for p in model.parameters() if p.requires_grad]
    groups = [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},  # biases, LayerNorm gains
    ]
    return torch.optim.AdamW(
        groups, lr=lr, betas=(0.9, 0.99), fused=True
    )  # fused: one kernel for all tensors


def lr_at(progress, max_lr, warmup, min_ratio=0.1):
    """Linear warmup over the first `warmup` fraction of training, then cosine decay to max_lr * min_ratio."""
    if progress < warmup:
        return max_lr * (progress + 1e-3) / warmup
    t = min(1.0, (progress - warmup) / (1 - warmup))
    return max_lr * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * t)))


def get_batch(ids, batch_size, block_size, generator):
    starts = torch.randint(len(ids) - block_size - 1, (batch_size,), generator=generator).tolist()
    x = torch.stack([ids[s : s + block_size] for s in starts])
    y = torch.stack([ids[s + 1 : s + block_size + 1] for s in starts])  # the same windows, one step later
    return x, y


@torch.no_grad()
def char_losses(model, ids, block_size, stride=None, batch=64):
    """-log p of every next character ids[1 : n + 1] (n a multiple of block_size), in text order.

    Windows of block_size characters start every `stride` characters (default: block_size, disjoint windows); the
    first window scores all its positions, the others only their last `stride` ones, so each character is scored
    once, with at least block_size - stride characters of context.
    """
    model.eval()
    stride = stride or block_size
    n = (len(ids) - 1) // block_size * block_size
    starts = torch.arange(0, n - block_size + 1, stride)
    window = starts[:, None] + torch.arange(block_size)
    losses = []
    for i in range(0, len(starts), batch):
        x, y = ids[window[i : i + batch]], ids[window[i : i + batch] + 1]
        losses.append(F.cross_entropy(model(x)[0].transpose(1, 2), y, reduction="none"))
    model.train()
    losses = torch.cat(losses)
    return torch.cat([losses[0], losses[1:, block_size - stride :].flatten()])


# ---- the notebook's Kneser-Ney baseline (section 5), for --baselines ---------------------------------------


def kneser_ney(text, order):
    """Count tables of an interpolated Kneser-Ney model: one (counts, context totals, distinct followers) per order."""
    grams = {n: Counter(text[i : i + n] for i in range(len(text) - n + 1)) for n in range(1, order + 1)}
    levels = []
    for n in range(1, order + 1):
        table = grams[n] if n == order else Counter(g[1:] for g in grams[n + 1])
        totals, followers = Counter(), Counter()
        for gram, c in table.items():
            totals[gram[:-1]] += c
            followers[gram[:-1]] += 1
        levels.append((table, totals, followers))
    return levels


def kn_prob(levels, context, ch, vocab_size, discount=0.75):
    p = 1 / vocab_size
    for n, (table, totals, followers) in enumerate(levels, start=1):
        h = context[len(context) - n + 1 :] if n > 1 else ""
        if len(h) < n - 1 or totals.get(h, 0) == 0:
            break
        total = totals[h]
        p = max(table.get(h + ch, 0) - discount, 0) / total + discount * followers[h] / total * p
    return p


# ---- the benchmark ----------------------------------------------------------------------------------------


def load(path, val_fraction=0.1):
    text = open(path, encoding="utf-8").read()
    cut = int(len(text) * (1 - val_fraction))
    counts = Counter(text[:cut])
    itos = [UNK] + sorted(ch for ch, n in counts.items() if n >= 5)
    stoi = {ch: i for i, ch in enumerate(itos)}

    def encode(s):
        return torch.tensor([stoi.get(ch, 0) for ch in s], dtype=torch.long)

    return encode(text[:cut]), encode(text[cut:]), itos


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("text", help="a UTF-8 text file (about 1 MB of English for the course's target)")
    ap.add_argument(
        "--seconds", type=float, default=70.0, help="wall time for training (evaluation excluded)"
    )
    ap.add_argument("--threads", type=int, default=1, help="1: faster than 2 for this small model")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--context", type=int, default=32)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-3)
    ap.add_argument("--warmup", type=float, default=0.05, help="fraction of the budget")
    ap.add_argument(
        "--random-positions", action="store_true", help="GPT-2's random init of the position table"
    )
    ap.add_argument(
        "--bf16", action="store_true", help="bf16 autocast (not faster at these sizes on our CPU)"
    )
    ap.add_argument("--baselines", action="store_true", help="also score the Kneser-Ney 5-gram model")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_ids, val_ids, itos = load(args.text)
    config = GPTConfig(len(itos), args.context, args.layers, args.heads, args.width)
    model = GPT(config)
    if args.random_positions:
        nn.init.normal_(model.transformer.wpe.weight, mean=0.0, std=0.02)
    optimizer = make_optimizer(model, args.lr)
    print(f"{platform.processor() or platform.machine()}, torch {torch.__version__}, {args.threads} threads")
    print(f"{len(train_ids):,} training / {len(val_ids):,} validation characters, vocabulary {len(itos)}")
    print(f"{config}: {sum(p.numel() for p in model.parameters()):,} parameters")

    generator = torch.Generator().manual_seed(args.seed)
    steps, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < args.seconds:
        for group in optimizer.param_groups:
            group["lr"] = lr_at(elapsed / args.seconds, args.lr, args.warmup)
        x, y = get_batch(train_ids, args.batch, args.context, generator)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            _, loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        steps += 1
        if steps % 250 == 0:
            print(f"  step {steps:5d}  {elapsed:5.1f} s  training loss {loss.item():.3f}", flush=True)
    train_s = time.perf_counter() - start
    losses = char_losses(model, val_ids, args.context)
    loss = losses.mean().item()
    chars = steps * args.batch * args.context
    print(
        f"trained {steps} steps in {train_s:.1f} s: {steps / train_s:.1f} steps/s, {chars / train_s:,.0f} characters/s"
    )
    print(
        f"validation loss {loss:.3f} nats per character ({loss / math.log(2):.3f} bits), {len(losses):,} characters"
    )
    if args.baselines:
        decode = lambda ids: "".join(itos[i] for i in ids)  # noqa: E731
        train_chars, val_chars = decode(train_ids.tolist()), decode(val_ids.tolist())
        kn = kneser_ney(train_chars, 5)
        kn_loss = sum(
            -math.log(kn_prob(kn, val_chars[max(0, i - 4) : i], val_chars[i], len(itos)))
            for i in range(1, len(losses) + 1)
        ) / len(losses)
        print(f"Kneser-Ney 5-gram on the same characters: {kn_loss:.3f} nats per character")
    return loss


if __name__ == "__main__":
    main()
