CREATE TABLE order_items (
  order_id bigint NOT NULL REFERENCES orders (id),
  sku text NOT NULL,
  quantity integer NOT NULL
);
CREATE INDEX CONCURRENTLY order_items_order_id_idx ON order_items (order_id);
