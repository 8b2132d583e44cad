// Demo app: prints a numbered heartbeat every second.
let beat = 0;
setInterval(() => {
  beat += 1;
  console.log(`heartbeat ${beat} from pid ${process.pid}`);
}, 1000);
