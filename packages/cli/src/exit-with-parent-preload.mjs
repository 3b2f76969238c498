// Preloaded (node --import) into the processes `finetrack server` starts, such as Next.js. When the
// server is killed with -9 its children are not told: this makes them notice that their parent is
// gone (they are re-parented, so ppid changes) and stop, so they free the port for the next start.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
}, 500).unref();
