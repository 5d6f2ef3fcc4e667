#!/usr/bin/env python3
"""Memory of the real kiosk driven by real X11 key events, as a USB scanner types (issue #4).

The WebDriver bench (tests/bench/kiosk.rs) synthesises key events inside WebKit, so they never
pass through the X server; this one types with `xdotool` (XTEST), which reaches everything a
scanner's keys reach. It samples the PSS and anonymous memory of the kiosk process and its
WebKit children (/proc/<pid>/smaps_rollup) every EVERY scans.

Run (needs `apt-get install xdotool`, the kiosk and `hadir` built):
  cargo build -p hadir-kiosk -p hadir-cli
  xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \\
      python3 tests/bench/xkeys_memory.py [--kiosk target/debug/hadir-kiosk] [--scans 900] [--every 150]
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

AT = "2026-11-29T09:30:00+08:00"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def feed(count):
    appointments = [{
        "booking_code": f"MPBENCH{i:05}", "date": "2026-11-29", "slot_start": "09:00",
        "slot_end": "10:00", "service": "baru", "express": False, "status": "booked",
        "applicants": [{"name": "PEMOHON BENCHMARK", "birth_date": "1990-01-01",
                        "nik_last4": "0000", "priority": None}],
        "updated_at": "2026-11-28T06:00:00Z"} for i in range(count)]
    return {"office": "KANIM-KUPANG", "date": "2026-11-29", "full": True, "cursor": None,
            "appointments": appointments, "revoked": []}


def tree(root):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
                parent = int(stat[stat.rindex(")") + 2:].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except OSError:
                pass
    found = [root]
    for pid in found:
        found.extend(children.get(pid, []))
    return found


def rollup(pid):
    values = {"Pss": 0, "Anonymous": 0}
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            key = line.split(":")[0]
            if key in values:
                values[key] = int(line.split()[1])
    except OSError:
        pass
    return values


def sample(kiosk_pid, scans):
    parts = {}
    for pid in tree(kiosk_pid):
        name = open(f"/proc/{pid}/comm").read().strip() if os.path.exists(f"/proc/{pid}") else "?"
        part = "host" if pid == kiosk_pid else ("web" if "WebProces" in name else "network")
        acc = parts.setdefault(part, {"Pss": 0, "Anonymous": 0})
        for key, kib in rollup(pid).items():
            acc[key] += kib
    total = sum(p["Pss"] for p in parts.values()) / 1024
    print(f"| {scans} | {total:.1f} | " + " | ".join(
        f"{parts.get(k, {}).get('Pss', 0) / 1024:.1f} / {parts.get(k, {}).get('Anonymous', 0) / 1024:.1f}"
        for k in ("host", "web", "network")) + " |", flush=True)


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--kiosk", default=os.path.join(ROOT, "target", "debug", "hadir-kiosk"))
    args.add_argument("--hadir", default=os.path.join(ROOT, "target", "debug", "hadir"))
    args.add_argument("--scans", type=int, default=900)
    args.add_argument("--every", type=int, default=150)
    opts = args.parse_args()
    work = tempfile.mkdtemp(prefix="hadir-xkeys-")
    config = os.path.join(work, "hadir.toml")
    with open(config, "w") as f:
        f.write(f'[kiosk]\nid = "MEM"\ndata_dir = "{work}/data"\n')
    with open(os.path.join(work, "feed.json"), "w") as f:
        json.dump(feed(opts.scans), f)
    subprocess.run([opts.hadir, "--config", config, "--at", AT, "import",
                    os.path.join(work, "feed.json")], check=True, stdout=subprocess.DEVNULL)
    log = open(os.path.join(work, "kiosk.log"), "w")
    kiosk = subprocess.Popen([opts.kiosk, "--config", config, "--windowed", "--at", AT],
                             stdout=log, stderr=log)
    try:
        window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid",
                                 str(kiosk.pid)], capture_output=True, text=True,
                                timeout=60).stdout.split()[0]
        subprocess.run(["xdotool", "windowactivate", "--sync", window], check=False)
        time.sleep(8)  # the page loads and settles
        db = sqlite3.connect(f"file:{work}/data/hadir.sqlite3?mode=ro", uri=True)
        tickets = lambda: db.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
        print("| scans | tree PSS MiB | host PSS / anon | web PSS / anon | network PSS / anon |")
        print("|---:|---:|---:|---:|---:|")
        sample(kiosk.pid, 0)
        retries = 0
        for i in range(opts.scans):
            before = tickets()
            for _ in range(5):  # a scan whose keys a busy machine split is typed again
                subprocess.run(["xdotool", "type", "--delay", "5", f"MPBENCH{i:05}"], check=True)
                subprocess.run(["xdotool", "key", "Return"], check=True)
                deadline = time.time() + 3
                while tickets() <= before and time.time() < deadline:
                    time.sleep(0.02)
                if tickets() > before:
                    break
                retries += 1
            else:
                sys.exit(f"scan {i} not answered after 5 tries")
            time.sleep(0.25)
            if (i + 1) % opts.every == 0:
                sample(kiosk.pid, i + 1)
        print(f"\n{opts.scans} scans answered, {retries} typed again; data in {work}")
    finally:
        kiosk.terminate()
        kiosk.wait(timeout=10)


if __name__ == "__main__":
    main()
