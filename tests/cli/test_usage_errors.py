"""Usage errors (missing argument, unknown option, extra arguments) are a message and exit code 2, no traceback."""
import subprocess
import sys
from pathlib import Path

import pytest

OPENGREX = Path(sys.executable).with_name("opengrex")


@pytest.mark.parametrize(
    "args,needle",
    [
        (["grex", "bereken"], "Missing argument"),
        (["grex", "bereken", "--bogus", "x"], "No such option"),
        (["programma", "scenario", "x.yaml", "a", "b"], "unexpected extra argument"),
        (["kostenverhaal", "bereken"], "Missing argument"),
        (["bestaat-niet"], "No such command"),
    ],
)
def test_usage_error_is_a_message(args, needle):
    proc = subprocess.run([str(OPENGREX), *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_help_exits_zero():
    proc = subprocess.run([str(OPENGREX), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "grex" in proc.stdout and "kostenverhaal" in proc.stdout and "programma" in proc.stdout
