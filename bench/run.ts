// Placeholder until the benchmarks land.
console.error('npm run bench: no benchmark is available yet.');
process.exit(1);
