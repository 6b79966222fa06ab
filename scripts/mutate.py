"""`make mutate`: mutation testing of the core with mutmut, one module after the other.

The modules, the tests each mutant may run and the files copied next to the mutants are in
pyproject.toml's [tool.mutmut]. mutmut's own progress goes to mutants/mutate-MODULE.log; this
script prints each surviving mutant (`mutmut show NAME` shows its diff) and ends with one line per
module, `mutation_score MODULE: KILLED/TOTAL`, where a mutant counts as killed when a test failed
or timed out on it, and every mutant not killed (survived, reached by no test, not run) counts in
TOTAL only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
MUTMUT = Path(sys.executable).with_name("mutmut")

# mutmut's exit codes per mutant (mutmut/stats.py) that mean a test caught it.
CAUGHT = {"killed": {1, 3}, "timeout": {36, 24, -24, 152, 255}}
NAMES = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 35: "suspicious"}


def modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    return [path.removesuffix(".py").replace("/", ".") for path in config["only_mutate"]]


def results(module: str) -> dict[str, int | None]:
    meta = MUTANTS / (module.replace(".", "/") + ".py.meta")
    if not meta.exists():
        return {}
    return json.loads(meta.read_text("utf-8"))["exit_code_by_key"]


def status(exit_code: int | None) -> str:
    if exit_code is None:
        return "not run"
    for name, codes in CAUGHT.items():
        if exit_code in codes:
            return name
    return NAMES.get(exit_code, f"exit {exit_code}")


def _mutmut(names: list[str], jobs: int, log: Path) -> int:
    with log.open("a") as out:
        run = subprocess.run(
            [str(MUTMUT), "run", "--max-children", str(jobs), *names],
            cwd=ROOT,
            # The test run's key (pyproject.toml's pytest `env`), whether or not mutmut's copy reads it.
            env={"SECRET_KEY": "test-only-secret-key-not-for-production-use-0123456789", **os.environ},
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    return run.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="dotted module names (default: all configured)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at the same time")
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ from the last run")
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="with --keep: test again only the mutants the last run did not kill (after adding tests)",
    )
    args = parser.parse_args()
    configured = modules()
    chosen = args.modules or configured
    unknown = sorted(set(chosen) - set(configured))
    if unknown:
        parser.error(f"not in [tool.mutmut] only_mutate: {', '.join(unknown)}")
    if args.survivors and not args.keep:
        parser.error("--survivors needs --keep")
    if not args.keep:
        # Stale test-to-function maps would let a changed test skip the mutants it now reaches.
        shutil.rmtree(MUTANTS, ignore_errors=True)

    for module in chosen:
        MUTANTS.mkdir(exist_ok=True)
        log = MUTANTS / f"mutate-{module}.log"
        if not args.survivors:
            print(f"{module}: mutmut on every mutant (log: {log.relative_to(ROOT)})", flush=True)
            code = _mutmut([f"{module}.*"], args.jobs, log)
        else:
            names = sorted(name for name, found in results(module).items() if status(found) not in CAUGHT)
            print(f"{module}: mutmut on the {len(names)} mutants not killed last time", flush=True)
            code = _mutmut(names, args.jobs, log) if names else 0
            # A function changed since the last run has new mutants, none of them tested yet.
            untested = sorted(name for name, found in results(module).items() if found is None)
            if code == 0 and untested:
                print(f"{module}: mutmut on {len(untested)} new mutants", flush=True)
                code = _mutmut(untested, args.jobs, log)
        if code != 0:
            print(f"{module}: mutmut exited with {code}; see {log}", file=sys.stderr)
            return code

    lines = []
    for module in chosen:
        by_mutant = results(module)
        for name, exit_code in sorted(by_mutant.items()):
            if status(exit_code) not in CAUGHT:
                print(f"{status(exit_code)}: {name}")
        killed = sum(status(code) in CAUGHT for code in by_mutant.values())
        lines.append(f"mutation_score {module}: {killed}/{len(by_mutant)}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
