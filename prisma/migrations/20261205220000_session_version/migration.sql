-- Admin sessions are JWT cookies; raising the user's version revokes every one issued before.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
