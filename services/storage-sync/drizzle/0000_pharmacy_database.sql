CREATE TABLE `anomalies` (
	`statement_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`client_key` text NOT NULL,
	`kind` text NOT NULL,
	`message` text NOT NULL,
	`page` integer,
	`line` integer,
	`reference` text,
	PRIMARY KEY(`statement_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `client_keys` (
	`nom` text PRIMARY KEY NOT NULL,
	`client_key` text
);
--> statement-breakpoint
CREATE TABLE `customers` (
	`client_key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`seed_name` text NOT NULL,
	`email` text,
	`phone` text,
	`organisme` text,
	`immatriculation` text,
	`details_at` text
);
--> statement-breakpoint
CREATE TABLE `detailed_transactions` (
	`nom` text,
	`date` text,
	`reference` text,
	`produit` text,
	`quantite` real,
	`prix_unitaire` real,
	`remise` real,
	`prix_unitaire_remise` real,
	`total` real,
	`solde` real
);
--> statement-breakpoint
CREATE INDEX `detailed_transactions_nom` ON `detailed_transactions` (`nom`);--> statement-breakpoint
CREATE TABLE `product_lines` (
	`statement_id` integer NOT NULL,
	`transaction_seq` integer NOT NULL,
	`line_no` integer NOT NULL,
	`client_key` text NOT NULL,
	`product` text NOT NULL,
	`quantity` real NOT NULL,
	`unit_price` real NOT NULL,
	`discount` real NOT NULL,
	`discounted_unit_price` real NOT NULL,
	`total` real NOT NULL,
	PRIMARY KEY(`statement_id`, `transaction_seq`, `line_no`)
);
--> statement-breakpoint
CREATE TABLE `simple_transactions` (
	`nom` text,
	`date` text,
	`reference` text,
	`libelle` text,
	`total` real,
	`solde` real
);
--> statement-breakpoint
CREATE INDEX `simple_transactions_nom` ON `simple_transactions` (`nom`);--> statement-breakpoint
CREATE TABLE `solde_final` (
	`nom` text PRIMARY KEY NOT NULL,
	`solde` real
);
--> statement-breakpoint
CREATE TABLE `statements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_key` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`opening_balance` real NOT NULL,
	`closing_balance` real NOT NULL,
	`computed_closing_balance` real NOT NULL,
	`verdict` text NOT NULL,
	`pages` integer NOT NULL,
	`source_sha256` text NOT NULL,
	`downloaded_at` text NOT NULL,
	`parsed_at` text NOT NULL,
	`job_id` text NOT NULL,
	`is_current` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `statements_customer_period` ON `statements` (`client_key`,`period_from`,`period_to`);--> statement-breakpoint
CREATE INDEX `statements_current` ON `statements` (`is_current`,`client_key`);--> statement-breakpoint
CREATE TABLE `sync_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `transactions` (
	`statement_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`client_key` text NOT NULL,
	`date` text NOT NULL,
	`reference` text NOT NULL,
	`label` text NOT NULL,
	`kind` text NOT NULL,
	`total` real NOT NULL,
	`effect` real NOT NULL,
	`balance` real NOT NULL,
	`page` integer NOT NULL,
	PRIMARY KEY(`statement_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `transactions_customer_date` ON `transactions` (`client_key`,`date`);