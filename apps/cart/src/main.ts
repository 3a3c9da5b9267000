import { runService } from '@emporium/kit';
import { cartService } from './app';

void runService(cartService);
