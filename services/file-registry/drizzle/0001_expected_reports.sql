CREATE TABLE "ops"."expected_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"data_provider" text NOT NULL,
	"client_name" text NOT NULL,
	"report_type" text NOT NULL,
	"report_year" integer NOT NULL,
	"report_month" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"missing_notified_at" timestamp with time zone,
	CONSTRAINT "expected_reports_month_check" CHECK ("ops"."expected_reports"."report_month" BETWEEN 1 AND 12)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "expected_reports_key_idx" ON "ops"."expected_reports" USING btree ("report_year","report_month","data_provider","client_name","report_type");