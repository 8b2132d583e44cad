// Demo app: works for a few seconds, then crashes, to show restarts with backoff.
console.log(`worker ${process.pid} started`);
setTimeout(() => {
  console.error(`worker ${process.pid} crashing on purpose`);
  process.exit(1);
}, 3000);
