// The visitor's choice of temperature unit for display (°C or °F), remembered in this browser
// (localStorage). Only what the page shows changes: the hub, its API and its stored values stay in
// SI units (°C). A change is announced as the window event "beeper:units" so every part redraws.

const KEY = 'beeper.temperatureUnit';

/** 'C' or 'F'. */
export function temperatureUnit() {
  try {
    return localStorage.getItem(KEY) === 'F' ? 'F' : 'C';
  } catch {
    return 'C'; // storage switched off: the default
  }
}

export function setTemperatureUnit(unit) {
  const u = unit === 'F' ? 'F' : 'C';
  try {
    localStorage.setItem(KEY, u);
  } catch {
    // storage switched off: the choice lasts until the page is reloaded
  }
  window.dispatchEvent(new CustomEvent('beeper:units', { detail: { temperature: u } }));
}

/** Whether a value in this unit (as the hub sends it) is a temperature the choice applies to. */
export function isCelsius(unit) {
  return unit === '°C';
}

/** A temperature from the hub (°C) in the chosen unit; null stays null (a gap in a chart). */
export function displayTemperature(celsius) {
  if (celsius === null || celsius === undefined) return celsius;
  return temperatureUnit() === 'F' ? celsius * 9 / 5 + 32 : celsius;
}

export function temperatureSymbol() {
  return temperatureUnit() === 'F' ? '°F' : '°C';
}
