// Package input is what every input format produces: the normalised Input
// (policy documents, principals with their attached documents, bucket and
// key facts, SCPs, unresolved values, errors) and the Builder a format
// writes one file into, with the bookkeeping that formats defining
// resources share.
package input
