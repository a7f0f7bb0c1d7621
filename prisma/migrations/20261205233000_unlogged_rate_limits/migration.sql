-- Request-limit counters need no crash safety (a restart forgets at most a few minutes of
-- them), so they skip the write-ahead log: a checkout's or sign-in's hit costs no WAL flush.
ALTER TABLE "RateLimitWindow" SET UNLOGGED;
