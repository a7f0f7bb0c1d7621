"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the page when orders change, from the dashboard's live feed. With `orderId`,
 * only that order's changes count. Bursts are folded into one refresh.
 */
export function LiveRefresh({ orderId }: { orderId?: string }) {
  const router = useRouter();
  useEffect(() => {
    const source = new EventSource("/api/admin/live");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => router.refresh(), 300);
    };
    source.addEventListener("order", (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as { orderId?: string };
      if (!orderId || data.orderId === orderId) refresh();
    });
    source.addEventListener("resync", refresh);
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [orderId, router]);
  return null;
}
