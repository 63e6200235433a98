/** Chart legend entries in the text colour (a pale series colour would make its label hard to read). */
export const legendText = (value: string) => <span className="chart-legend-text">{value}</span>;
