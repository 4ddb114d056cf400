# Runs a command with standard input and standard error on a real pseudo-terminal and standard output on this
# process's own standard output (a pipe, as with `| tee`). Once the terminal shows "Type yes", types the answer.
# Everything the terminal showed is written to the file named first. Exit status: the command's.
import os
import pty
import select
import subprocess
import sys

transcript_path, answer, command = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
child = subprocess.Popen(command, stdin=slave, stdout=sys.stdout, stderr=slave, close_fds=True)
os.close(slave)
shown = b""
answered = False
while True:
    ready, _, _ = select.select([master], [], [], 0.05)
    data = b""
    if ready:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the command and everything it started have closed the terminal
            data = b""
        shown += data
        if not answered and b"Type yes" in shown:
            os.write(master, (answer + "\n").encode())
            answered = True
    if not data and child.poll() is not None:
        break
with open(transcript_path, "wb") as transcript:
    transcript.write(shown)
sys.exit(child.returncode)
