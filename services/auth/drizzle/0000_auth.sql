CREATE SCHEMA "auth";
--> statement-breakpoint
CREATE TABLE "auth"."api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"owner" text NOT NULL,
	"pharmacy_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "api_tokens_role_check" CHECK ("auth"."api_tokens"."role" IN ('pharmacy', 'ops', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "auth"."sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"pharmacy_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "auth"."sobrus_sessions" (
	"pharmacy_id" text PRIMARY KEY NOT NULL,
	"cookies_sealed" text NOT NULL,
	"version" integer NOT NULL,
	"obtained_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth"."staff_accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "staff_accounts_email_unique" UNIQUE("email"),
	CONSTRAINT "staff_accounts_role_check" CHECK ("auth"."staff_accounts"."role" IN ('pharmacy', 'ops', 'admin'))
);
--> statement-breakpoint
CREATE INDEX "sessions_pharmacy_idx" ON "auth"."sessions" USING btree ("pharmacy_id");