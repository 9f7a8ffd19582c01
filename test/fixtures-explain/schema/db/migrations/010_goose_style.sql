-- +goose Up
CREATE TABLE coupons (code text PRIMARY KEY, percent integer NOT NULL);
-- +goose Down
DROP TABLE coupons;
DROP TABLE customers;
