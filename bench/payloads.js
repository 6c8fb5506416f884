'use strict';
// Upload bodies for the benchmarks: every request carries events never sent before, so that
// each one is stored (not answered as a duplicate). Built from the test fixtures.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const sample = (name) => JSON.parse(readFileSync(join(__dirname, '..', 'test', 'fixtures', 'samples', name), 'utf8'));

/** Splits a JSON text around a placeholder timestamp, so that a fresh one costs a string concatenation. */
function template(body) {
  const text = JSON.stringify(body);
  const parts = text.split('"__TS__"');
  return (timestamps) => parts.reduce((out, part, index) => out + (index ? timestamps[index - 1] : '') + part, '');
}

function single60k() {
  const event = sample('gate-employee.json');
  event.timestamp = '__TS__';
  const render = template(event);
  return { name: 'single event, 60 KB of images', eventsPerRequest: 1, render: (next) => render([next()]) };
}

function batch100() {
  const event = sample('seed-example.json');
  delete event.reg_pic;
  delete event.ext_data.spot_pic;
  delete event.ext_data.recognize_face;
  event.timestamp = '__TS__';
  const render = template(Array.from({ length: 100 }, () => event));
  return {
    name: 'batch of 100 events, no images',
    eventsPerRequest: 100,
    render: (next) => render(Array.from({ length: 100 }, next)),
  };
}

function single300k() {
  const event = sample('gate-employee.json');
  const jpeg = Buffer.from(event.ext_data.spot_pic, 'base64');
  // A larger scene photo: the JPEG followed by filler, as a camera at a higher resolution sends.
  event.ext_data.spot_pic = Buffer.concat([jpeg, Buffer.alloc(300 * 1024 - jpeg.length, 0x55)]).toString('base64');
  event.timestamp = '__TS__';
  const render = template(event);
  return { name: 'single event, 300 KB scene photo', eventsPerRequest: 1, render: (next) => render([next()]) };
}

const PAYLOADS = { single60k, batch100, single300k };

/** A source of timestamps no earlier run used: milliseconds, counting up from a random start. */
function timestamps() {
  let next = 1_500_000_000_000 + Math.floor(Math.random() * 1e11) * 1000;
  return () => next++;
}

module.exports = { PAYLOADS, timestamps };
