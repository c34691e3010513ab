// Simulator entry point; dispatches `lotus`, `lotus-miner`, `lotus-worker` and `up`/`down`.
console.error('minerdesk sim: not built yet')
process.exit(2)
