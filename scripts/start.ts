// Placeholder until the whole-stack runner lands: say plainly what is missing instead of pretending.
console.error('npm start is not available yet: the inference container and the edge runner are still being built.');
process.exit(1);
