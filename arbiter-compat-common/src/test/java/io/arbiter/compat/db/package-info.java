/** Tests of the embedded PostgreSQL helper and the schemas. */
package io.arbiter.compat.db;
