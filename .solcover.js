module.exports = { skipFiles: ['mocks/'] };
