"""`make run`: Django's development server and a Celery worker, stopped together."""

import signal
import subprocess
import sys


def main(port: str) -> int:
    python = sys.executable
    worker = subprocess.Popen(
        [python, "-m", "celery", "-A", "socore", "worker", "--loglevel=INFO", "--concurrency=2"]
    )
    web = subprocess.Popen([python, "manage.py", "runserver", f"127.0.0.1:{port}"])
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "8000"))
