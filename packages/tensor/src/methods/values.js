import { device as resolveDevice } from '../device.js';
import { cast } from '../ops/cast.js';
import * as transfer from '../ops/transfer.js';
import { defineMethods } from './define.js';
defineMethods({
    dataSync() {
        return transfer.readSync(this);
    },
    dataAsync() {
        return transfer.readAsync(this);
    },
    item() {
        return transfer.item(this.dataSync());
    },
    async itemAsync() {
        return transfer.item(await this.dataAsync());
    },
    tolist() {
        return transfer.nest(this, this.dataSync());
    },
    async tolistAsync() {
        return transfer.nest(this, await this.dataAsync());
    },
    to(target) {
        if (target === 'float32' || target === 'int32' || target === 'bool')
            return cast(this, target);
        return transfer.toDevice(this, resolveDevice(target));
    },
    toAsync(target) {
        return transfer.toDeviceAsync(this, resolveDevice(target));
    },
    cpu() {
        return this.to('cpu');
    },
    float() {
        return cast(this, 'float32');
    },
    int() {
        return cast(this, 'int32');
    },
    long() {
        return cast(this, 'int32');
    },
    bool() {
        return cast(this, 'bool');
    },
});
//# sourceMappingURL=values.js.map