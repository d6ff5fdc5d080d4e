#!/usr/bin/env python3
"""Writes the TensorBoard event-file fixtures of the reader tests with the real writers, and
beside each the values TensorBoard's own reader returns for it.

    python3 -m venv /tmp/tbvenv && /tmp/tbvenv/bin/pip install tensorboard tensorboardX
    /tmp/tbvenv/bin/python Scripts/make-tensorboard-fixtures.py

Writes into Tests/ScaleFitTests/Readers/Fixtures/tensorboard/:

  tf1/events.out.tfevents.tf1   tensorboardX SummaryWriter.add_scalar (TF1 style: simple_value),
                                tags train/loss and lr; the run restarts at step 50 (resumed
                                from a checkpoint), so steps 0..90 then 50..120
  tf2/events.out.tfevents.tf2   tensorboard's EventFileWriter with TF2-style tensor summaries
                                (plugin "scalars"): scalar_pb (DT_FLOAT float_val), a DT_DOUBLE
                                double_val tensor, a DT_FLOAT tensor_content tensor, and a
                                non-scalar histogram tensor (shape [2, 3]) the reader must skip
  expected.json                 per file, per tag: [step, wall_time, value, value's IEEE-754
                                double bits in hex] as tensorboard's EventAccumulator returns
                                them (Scalars for simple_value, Tensors + make_ndarray for
                                tensors), after its purge of orphaned data at a restart

The Swift test reads the binaries and compares every value bit for bit with expected.json.
"""
import json
import os
import shutil
import struct
import sys

import numpy as np
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
from tensorboard.plugins.scalar import summary_v2
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from tensorboard.util import tensor_util
from tensorboardX import SummaryWriter

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ScaleFitTests", "Readers",
                    "Fixtures", "tensorboard")


def only_event_file(directory, name):
    """Renames the one event file a writer made in `directory` to a stable `name`."""
    files = [f for f in os.listdir(directory) if "tfevents" in f]
    assert len(files) == 1, files
    os.rename(os.path.join(directory, files[0]), os.path.join(directory, name))
    return os.path.join(directory, name)


def loss(step):
    return 2.0 + 8.0 * (step + 10) ** -0.3


def write_tf1(directory):
    writer = SummaryWriter(logdir=directory)
    wall = 1_700_000_000.0
    for step in range(0, 100, 10):
        writer.add_scalar("train/loss", loss(step), global_step=step, walltime=wall + step)
        writer.add_scalar("lr", 3e-4 * (1 - step / 200), global_step=step, walltime=wall + step)
    for step in range(50, 130, 10):  # resumed from the checkpoint at step 50
        writer.add_scalar("train/loss", loss(step) + 0.001, global_step=step, walltime=wall + 1000 + step)
        writer.add_scalar("lr", 3e-4 * (1 - step / 200), global_step=step, walltime=wall + 1000 + step)
    writer.close()
    return only_event_file(directory, "events.out.tfevents.tf1")


def tensor_summary(tag, tensor, plugin="scalars"):
    metadata = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin))
    return summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=metadata)])


def write_tf2(directory):
    writer = EventFileWriter(directory)
    wall = 1_700_000_000.5
    for step in range(0, 60, 10):
        writer.add_event(event_pb2.Event(wall_time=wall + step, step=step,
                                         summary=summary_v2.scalar_pb("train/loss", np.float32(loss(step)))))
        double = tensor_pb2.TensorProto(dtype=types_pb2.DT_DOUBLE, tensor_shape=tensor_shape_pb2.TensorShapeProto(),
                                        double_val=[1.0 / (step + 3)])
        writer.add_event(event_pb2.Event(wall_time=wall + step, step=step, summary=tensor_summary("eval/loss", double)))
        content = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_shape=tensor_shape_pb2.TensorShapeProto(),
                                         tensor_content=struct.pack("<f", 3e-4 / (step + 1)))
        writer.add_event(event_pb2.Event(wall_time=wall + step, step=step, summary=tensor_summary("lr", content)))
        histogram = tensor_util.make_tensor_proto(np.arange(6, dtype=np.float64).reshape(2, 3))
        writer.add_event(event_pb2.Event(wall_time=wall + step, step=step,
                                         summary=tensor_summary("weights", histogram, plugin="histograms")))
    writer.close()
    return only_event_file(directory, "events.out.tfevents.tf2")


def bits(value):
    return struct.pack(">d", float(value)).hex()


def expected_values(path):
    """What tensorboard's EventAccumulator returns for the file, per tag."""
    accumulator = event_accumulator.EventAccumulator(path, size_guidance={"scalars": 0, "tensors": 0})
    accumulator.Reload()
    result = {}
    for tag in accumulator.Tags()["scalars"]:
        result[tag] = [[e.step, e.wall_time, e.value, bits(e.value)] for e in accumulator.Scalars(tag)]
    for tag in accumulator.Tags()["tensors"]:
        events = accumulator.Tensors(tag)
        arrays = [tensor_util.make_ndarray(e.tensor_proto) for e in events]
        if any(a.size != 1 for a in arrays):
            continue  # not a scalar: the Swift reader skips it too (and counts it)
        result[tag] = [[e.step, e.wall_time, float(a.item()), bits(a.item())] for e, a in zip(events, arrays)]
    return result


def main():
    if os.path.exists(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(os.path.join(ROOT, "tf1"))
    os.makedirs(os.path.join(ROOT, "tf2"))
    tf1 = write_tf1(os.path.join(ROOT, "tf1"))
    tf2 = write_tf2(os.path.join(ROOT, "tf2"))
    expected = {"tf1/events.out.tfevents.tf1": expected_values(tf1),
                "tf2/events.out.tfevents.tf2": expected_values(tf2)}
    with open(os.path.join(ROOT, "expected.json"), "w") as out:
        json.dump(expected, out, indent=1, sort_keys=True)
        out.write("\n")
    for name, tags in expected.items():
        print(name, {tag: len(points) for tag, points in tags.items()}, file=sys.stderr)


if __name__ == "__main__":
    main()
