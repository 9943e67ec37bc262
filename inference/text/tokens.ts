// The token estimate is one rule for the whole API (the edge's cost budget prices with it too).
export { estimateTokens, type CountTokens } from '../../shared/text/tokens.js';
