package io.devbox.agent.kinds.ports;

import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.ResourceException;

import java.io.IOException;

/** What a change of a port rule does: on the Windows side (portproxy, firewall) or the Linux side (DNAT). */
public sealed interface PortOp extends Operation {

    /** Makes the op true through {@code steps}: every variant names its step, so the compiler checks apply covers all. */
    void applyWith(Steps steps) throws ResourceException, IOException;

    /** The steps of the port kind's apply, one per variant. */
    interface Steps {
        void addProxy(AddProxy op) throws ResourceException, IOException;

        void deleteProxy(DeleteProxy op) throws ResourceException, IOException;

        void allowFirewall(AllowFirewall op) throws ResourceException, IOException;

        void deleteFirewall(DeleteFirewall op) throws ResourceException, IOException;

        void setDnat(SetDnat op) throws ResourceException, IOException;

        void deleteDnat(DeleteDnat op) throws ResourceException, IOException;

        void raiseRouteLocalnet(RaiseRouteLocalnet op) throws ResourceException, IOException;

        void restoreRouteLocalnet(RestoreRouteLocalnet op) throws ResourceException, IOException;
    }

    /**
     * Adds (or repoints) the portproxy entry to the address {@code iface} has at apply time; plans show the target as
     * {@code iface:targetPort}, so a new WSL address is drift, not a new value.
     */
    record AddProxy(String before, String iface, int targetPort) implements PortOp {
        public String field() { return PortsReconciler.FIELD_PORTPROXY; }
        public Layer layer() { return Layer.PERSISTED; }
        public String from() { return before; }
        public String to() { return iface + ":" + targetPort; }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.addProxy(this); }
    }

    /** Deletes an entry the agent made on another listen address (the profile's listenAddress changed, or pruning). */
    record DeleteProxy(String listenAddress, String from) implements PortOp {
        public String field() { return PortsReconciler.FIELD_PORTPROXY + "(" + listenAddress + ")"; }
        public Layer layer() { return Layer.PERSISTED; }
        public String to() { return null; }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.deleteProxy(this); }
    }

    /** Makes exactly one inbound allow rule with the agent's name for {@code port}. */
    record AllowFirewall(String from, int port) implements PortOp {
        static String rule(int port) {
            return "allow in tcp/" + port;
        }

        public String field() { return PortsReconciler.FIELD_FIREWALL; }
        public Layer layer() { return Layer.PERSISTED; }
        public String to() { return rule(port); }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.allowFirewall(this); }
    }

    /** Deletes the firewall rules with the agent's name. */
    record DeleteFirewall(String from) implements PortOp {
        public String field() { return PortsReconciler.FIELD_FIREWALL; }
        public Layer layer() { return Layer.PERSISTED; }
        public String to() { return null; }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.deleteFirewall(this); }
    }

    /** Replaces the resource's DNAT rules with one whose body is {@code to}. */
    record SetDnat(String from, String to) implements PortOp {
        public String field() { return PortsReconciler.FIELD_DNAT; }
        public Layer layer() { return Layer.RUNTIME; }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.setDnat(this); }
    }

    /** Deletes the resource's DNAT rules. */
    record DeleteDnat(String from) implements PortOp {
        public String field() { return PortsReconciler.FIELD_DNAT; }
        public Layer layer() { return Layer.RUNTIME; }
        public String to() { return null; }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.deleteDnat(this); }
    }

    /** Switches route_localnet on for the interface, remembering the value before. */
    record RaiseRouteLocalnet(String from) implements PortOp {
        public String field() { return PortsReconciler.FIELD_ROUTE_LOCALNET; }
        public Layer layer() { return Layer.RUNTIME; }
        public String to() { return "1"; }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.raiseRouteLocalnet(this); }
    }

    /** Puts route_localnet back to {@code to}, the value before the agent switched it on. */
    record RestoreRouteLocalnet(String from, String to) implements PortOp {
        public String field() { return PortsReconciler.FIELD_ROUTE_LOCALNET; }
        public Layer layer() { return Layer.RUNTIME; }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.restoreRouteLocalnet(this); }
    }
}
