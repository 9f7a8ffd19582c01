const fs = require('fs');
const express = require('express');

const app = express();

app.get('/report', (req, res) => {
  const template = fs.readFileSync('./report.html', 'utf8');
  res.send(template);
});

async function loadConfig() {
  const raw = fs.readFileSync('./config.json', 'utf8');
  return JSON.parse(raw);
}

// Top-level and plain sync code is fine.
const banner = fs.readFileSync('./banner.txt', 'utf8');

module.exports = { app, loadConfig, banner };
