"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney, minorUnitsPerMajor } from "@/lib/money";

type Point = { day: string; currency: string; revenue: number };

const COLORS = ["#0f5e5a", "#b45309", "#6d28d9", "#be123c"];

/** Net revenue per day, one bar series per currency (amounts stay in minor units until drawn). */
export function RevenueChart({ points, days }: { points: Point[]; days: string[] }) {
  const currencies = [...new Set(points.map((p) => p.currency))];
  const data = days.map((day) => {
    const row: Record<string, string | number> = { day: day.slice(5) };
    for (const c of currencies) {
      const minor = points.find((p) => p.day === day && p.currency === c)?.revenue ?? 0;
      row[c] = minor / minorUnitsPerMajor(c);
    }
    return row;
  });
  return (
    <div className="h-72 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
          <YAxis tick={{ fontSize: 12 }} width={56} />
          <Tooltip
            formatter={(value, name) =>
              formatMoney(Math.round(Number(value) * minorUnitsPerMajor(String(name))), String(name))
            }
          />
          <Legend formatter={(value) => String(value).toUpperCase()} />
          {currencies.map((c, i) => (
            <Bar key={c} dataKey={c} stackId="revenue" fill={COLORS[i % COLORS.length]} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
