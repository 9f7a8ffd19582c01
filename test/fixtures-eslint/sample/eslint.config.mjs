// What a user writes: one line for perflens in an ESLint flat config.
import perflens from 'perflens/eslint-plugin';

export default [perflens.configs.recommended];
