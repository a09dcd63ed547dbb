"""Generated scenes and clips of coloured shapes, for the multimodal chapter (ch5) in CPU mode.

No PyPI package ships vision weights, so CPU mode trains tiny vision models on pictures whose ground truth is
known exactly: every image comes with the objects it shows (a scene graph), a caption and questions with their
answers. Nothing is bundled: the images are drawn on demand by a seeded function, the same bytes on every
machine. ``scenes(n, seed)`` gives records; ``render`` draws one; ``clips`` gives short videos of a moving
shape whose direction is the label.

Datasheet (the generator is the whole definition):
- **What.** Square RGB images (``size`` pixels a side, 32 by default) on a light grey background, holding 1 to
  ``max_objects`` non-overlapping shapes: a circle, square or triangle, in one of five colours, small or large,
  anywhere in the frame.
- **Captions** name every object ("a large red circle"), with a spatial relation between the first two
  along the axis that separates them most ("... to the left of ...", "... above ..."), in a fixed template; ``paraphrase=True`` draws other templates with the same
  meaning, for testing on unseen phrasings.
- **Questions** (five kinds: ``count``, ``colour``, ``shape``, ``relation``, ``exists``) are asked only when the
  scene determines the answer (``colour`` only of a shape that occurs once); yes/no questions are drawn to be
  balanced; a relation is asked only of two objects at least ``CLEAR`` apart along its axis.
- **Held-out combinations.** ``HELD_OUT`` colour-shape pairs never appear in ``split="train"``; ``"test"``
  draws freely, so that composition (a red triangle, seen red things and seen triangles but never the pair)
  can be measured.
- **Limits.** Flat colours, three shapes, no occlusion, no texture, no lighting: the pictures test mechanisms,
  not vision in the wild. Written for NLP Journey (CC0).
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np

SHAPES = ("circle", "square", "triangle")
COLOURS = {
    "red": (214, 48, 39),
    "green": (46, 160, 67),
    "blue": (44, 92, 214),
    "yellow": (236, 196, 36),
    "purple": (142, 68, 173),
}
SIZES = {"small": 0.11, "large": 0.19}  # half-width of the shape, as a fraction of the image side
BACKGROUND = (236, 236, 236)
HELD_OUT = (("red", "triangle"), ("blue", "circle"), ("green", "square"))
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six")
DIRECTIONS = ("left", "right", "up", "down")


def _place(rng: random.Random, n: int, split: str) -> list[dict[str, Any]]:
    """n shapes that do not overlap (their bounding circles are apart), drawn by rejection."""
    held_out = set(HELD_OUT) if split == "train" else set()
    objects: list[dict[str, Any]] = []
    while len(objects) < n:
        colour, shape = rng.choice(sorted(COLOURS)), rng.choice(SHAPES)
        if (colour, shape) in held_out:
            continue
        size = rng.choice(sorted(SIZES))
        r = SIZES[size]
        x, y = rng.uniform(r, 1 - r), rng.uniform(r, 1 - r)
        if all((x - o["x"]) ** 2 + (y - o["y"]) ** 2 > (r + SIZES[o["size"]] + 0.03) ** 2 for o in objects):
            objects.append(
                {"shape": shape, "colour": colour, "size": size, "x": round(x, 4), "y": round(y, 4)}
            )
    return objects


def _mask(shape: str, x: float, y: float, r: float, size: int) -> np.ndarray:
    """Pixels covered by one shape centred at (x, y) (fractions of the side; y grows downwards)."""
    centres = (np.arange(size) + 0.5) / size
    dx, dy = centres[None, :] - x, centres[:, None] - y
    if shape == "circle":
        return dx**2 + dy**2 <= r**2
    if shape == "square":
        return (np.abs(dx) <= 0.85 * r) & (np.abs(dy) <= 0.85 * r)
    if shape == "triangle":  # apex up: the half-width grows linearly from the apex to the base
        depth = (dy + r) / (2 * r)
        return (depth >= 0) & (depth <= 1) & (np.abs(dx) <= depth * r)
    raise ValueError(f"unknown shape {shape!r}: expected one of {SHAPES}")


def render(objects: list[dict[str, Any]], size: int = 32) -> np.ndarray:
    """Draw a scene's objects as a ``(size, size, 3)`` uint8 image."""
    image = np.empty((size, size, 3), dtype=np.uint8)
    image[:] = BACKGROUND
    for o in objects:
        image[_mask(o["shape"], o["x"], o["y"], SIZES[o["size"]], size)] = COLOURS[o["colour"]]
    return image


def relations(objects: list[dict[str, Any]]) -> list[tuple[int, str, int]]:
    """The scene graph's edges: (i, "left_of", j) and (i, "above", j) for every ordered pair that holds."""
    edges = []
    for i, a in enumerate(objects):
        for j, b in enumerate(objects):
            if i != j and a["x"] < b["x"]:
                edges.append((i, "left_of", j))
            if i != j and a["y"] < b["y"]:
                edges.append((i, "above", j))
    return edges


def describe(o: dict[str, Any]) -> str:
    return f"a {o['size']} {o['colour']} {o['shape']}"


_TEMPLATES = {
    "one": ["{a}", "there is {a}", "a picture of {a}", "{a} on a grey background"],
    "pair": ["{a} {rel} {b}", "{a} is {rel} {b}", "{a} placed {rel} {b}", "we see {a} {rel} {b}"],
}
CLEAR = 0.12  # a relation is spoken of only when the two centres are this far apart along its axis


def spatial(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Where a is relative to b, along the axis that separates them most."""
    dx, dy = a["x"] - b["x"], a["y"] - b["y"]
    if abs(dx) >= abs(dy):
        return "to the left of" if dx < 0 else "to the right of"
    return "above" if dy < 0 else "below"


def caption(objects: list[dict[str, Any]], rng: random.Random | None = None, paraphrase: bool = False) -> str:
    """Name every object; relate the first two along the axis that separates them most. Template 0 unless
    ``paraphrase``."""

    def pick(options: list[str]) -> str:
        return rng.choice(options[1:]) if paraphrase and rng is not None else options[0]

    if len(objects) == 1:
        return pick(_TEMPLATES["one"]).format(a=describe(objects[0]))
    a, b = objects[0], objects[1]
    text = pick(_TEMPLATES["pair"]).format(a=describe(a), b=describe(b), rel=spatial(a, b))
    rest = [describe(o) for o in objects[2:]]
    return text + ("" if not rest else ", and " + " and ".join(rest))


def questions(objects: list[dict[str, Any]], rng: random.Random) -> list[dict[str, str]]:
    """Questions the scene answers, one or two per kind, yes/no ones balanced."""
    out = []
    shapes = [o["shape"] for o in objects]
    colours = [o["colour"] for o in objects]
    what = rng.choice(["objects", *sorted(set(shapes)), *sorted(set(colours))])
    if what == "objects":
        count, noun = len(objects), "objects"
    elif what in SHAPES:
        count, noun = shapes.count(what), what + "s"
    else:
        count, noun = colours.count(what), what + " objects"
    out.append({"type": "count", "question": f"how many {noun} are there?", "answer": NUMBER_WORDS[count]})
    unique_shapes = sorted(s for s in set(shapes) if shapes.count(s) == 1)
    if unique_shapes:
        s = rng.choice(unique_shapes)
        out.append(
            {"type": "colour", "question": f"what colour is the {s}?", "answer": colours[shapes.index(s)]}
        )
    unique_colours = sorted(c for c in set(colours) if colours.count(c) == 1)
    if unique_colours:
        c = rng.choice(unique_colours)
        out.append(
            {
                "type": "shape",
                "question": f"what shape is the {c} object?",
                "answer": shapes[colours.index(c)],
            }
        )
    kinds = [(o["colour"], o["shape"]) for o in objects]
    unique = [o for o, k in zip(objects, kinds) if kinds.count(k) == 1]  # nameable without ambiguity
    asks = [
        (a, b, relation, truth)
        for a in unique
        for b in unique
        if a is not b
        for relation, truth, gap in (
            ("left of", a["x"] < b["x"], a["x"] - b["x"]),
            ("above", a["y"] < b["y"], a["y"] - b["y"]),
        )
        if abs(gap) >= CLEAR
    ]
    if asks:
        a, b, relation, truth = rng.choice(asks)
        if rng.random() < 0.5:  # ask the other way round half the time, so yes and no are balanced
            relation = {"left of": "right of", "above": "below"}[relation]
            truth = not truth
        question = f"is the {a['colour']} {a['shape']} {relation} the {b['colour']} {b['shape']}?"
        out.append({"type": "relation", "question": question, "answer": "yes" if truth else "no"})
    present = {(o["colour"], o["shape"]) for o in objects}
    if rng.random() < 0.5:
        colour, shape = rng.choice(sorted(present))
    else:
        colour, shape = rng.choice(sorted({(c, s) for c in COLOURS for s in SHAPES} - present))
    answer = "yes" if (colour, shape) in present else "no"
    out.append({"type": "exists", "question": f"is there a {colour} {shape}?", "answer": answer})
    return out


def scenes(
    n: int,
    seed: int = 0,
    split: str = "train",
    size: int = 32,
    max_objects: int = 3,
    paraphrase: bool = False,
) -> list[dict[str, Any]]:
    """``n`` scene records: ``image`` (uint8 array), ``objects``, ``relations``, ``caption``, ``questions``.

    ``split="train"`` never shows a ``HELD_OUT`` colour-shape pair; ``"test"`` draws every pair. Use different
    seeds for different splits. ``paraphrase`` draws captions from the other templates.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split={split!r}: use 'train' or 'test'")
    if not 1 <= max_objects <= 4:
        raise ValueError(f"max_objects={max_objects}: between 1 and 4 objects fit without overlap")
    rng = random.Random(f"scenes-{seed}-{split}")
    records = []
    for i in range(n):
        objects = _place(rng, rng.randint(1, max_objects), split)
        records.append(
            {
                "id": i,
                "image": render(objects, size),
                "objects": objects,
                "relations": relations(objects),
                "caption": caption(objects, rng, paraphrase),
                "questions": questions(objects, rng),
            }
        )
    return records


def clips(n: int, seed: int = 0, frames: int = 8, size: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """``n`` short videos, ``(n, frames, size, size, 3)`` uint8, of one shape moving in a straight line, with a
    static distractor; the label is the index of its direction in ``DIRECTIONS``.

    The mover starts near the centre whatever its direction, so the first frame says nothing about the
    direction (a model that sees only it can but guess); the sequence tells it. Later frames give the direction
    away through where the mover has got to: a linear model on the last frame alone is nearly always right, a
    shortcut that ch5/06 measures and then takes away by playing clips backwards.
    """
    rng = random.Random(f"clips-{seed}")
    videos = np.empty((n, frames, size, size, 3), dtype=np.uint8)
    labels = np.empty(n, dtype=np.int64)
    steps = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}
    for i in range(n):
        label = rng.randrange(len(DIRECTIONS))
        dx, dy = steps[DIRECTIONS[label]]
        speed = rng.uniform(0.025, 0.04)
        mover = {"shape": rng.choice(SHAPES), "colour": rng.choice(sorted(COLOURS)), "size": "small"}
        x0, y0 = rng.uniform(0.4, 0.6), rng.uniform(0.4, 0.6)
        distractor = {"shape": rng.choice(SHAPES), "colour": rng.choice(sorted(COLOURS)), "size": "small",
                      "x": rng.choice([0.13, 0.87]), "y": rng.choice([0.13, 0.87])}  # fmt: skip
        for t in range(frames):
            moved = {**mover, "x": x0 + dx * speed * t, "y": y0 + dy * speed * t}
            videos[i, t] = render([distractor, moved], size)
        labels[i] = label
    return videos, labels
